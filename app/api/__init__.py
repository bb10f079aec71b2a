"""HTTP: one thin router per resource on top of the query builders."""
