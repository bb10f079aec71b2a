"""Storage: engine and session, tables, the loader, and one query builder per resource."""
