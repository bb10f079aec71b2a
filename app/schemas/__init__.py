"""What clients see: filters and responses per resource, separate from the ORM models."""
