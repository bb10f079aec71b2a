"""Benchmarks: a generated corpus, ingest into SQLite and PostgreSQL, and the API side by side
with Datasette and a bare Starlette floor. Not part of the test suite; see benchmarks/README.md."""
