"""One query builder per resource: the list, its counts and its exports all wrap the same Select."""
