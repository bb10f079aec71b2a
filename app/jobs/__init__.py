"""Work that runs outside a request: ingest runs, started from the CLI or the admin API."""
