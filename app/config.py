"""Settings: the one place configuration is read from the environment."""

from __future__ import annotations

import logging
import logging.config
import re
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, TextIO

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str = Field(
        "sqlite:///./data/replies.db",
        description="SQLAlchemy URL: sqlite:///PATH or postgresql+psycopg://USER@HOST:PORT/DB",
    )
    source_dir: Path = Field(PROJECT_ROOT / "seeds", description="Folder of source documents that ingest reads")
    default_page_size: int = Field(20, ge=1, le=100, description="Items per page when a client sends no limit")
    max_page_size: int = Field(100, ge=1, le=1000, description="The largest limit a client may ask for")
    database_timeout_seconds: float = Field(5.0, gt=0, description="How long a request waits for the database")
    api_threads: int = Field(
        4,
        ge=1,
        le=200,
        description="Threads per API process running routes and database calls. Routes are CPU-bound "
        "Python, so more threads only contend for the interpreter: scale with worker processes instead",
    )
    database_pool_size: int = Field(
        20, ge=1, le=200, description="Database connections kept open per process; as many as concurrent requests"
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins browsers may call the API from, as a JSON list: ["https://example.org"]; none by default',
    )
    telemetry: bool = Field(
        False,
        description="Let FastAPI emit OpenTelemetry spans, metrics and logs to the providers configured in the "
        "process; off, it does not look them up on every request",
    )
    cache_max_age: int = Field(60, ge=0, description="Seconds clients and proxies may reuse a GET response")
    response_cache_mb: int = Field(
        0,
        ge=0,
        le=4096,
        description="Megabytes of rendered GET responses each API process keeps, keyed by URL and data version "
        "(never older than the data); 0 turns the cache off",
    )
    admin_token: SecretStr | None = Field(
        None,
        description="Bearer token for /admin/*; while unset (or empty) the admin routes answer 503, never open",
    )
    max_upload_bytes: int = Field(
        10 * 1024 * 1024, ge=1, description="The largest source document POST /admin/documents accepts (413 beyond)"
    )
    ingest_batch_size: int = Field(
        100, ge=1, le=10000, description="Documents an ingest commits together (and at least once a second)"
    )
    ingest_workers: int | None = Field(
        None, ge=1, description="Processes an ingest parses in (one more writes); unset: the machine's cores"
    )
    ingest_parse_timeout_seconds: float = Field(
        60.0, gt=0, description="A file whose parse takes longer fails with this reason, and the ingest goes on"
    )
    job_stale_seconds: float = Field(
        600.0,
        gt=0,
        description="A queued or running ingest job with no heartbeat for this long is taken for dead and marked "
        "interrupted, even when its owner process cannot be checked (another host)",
    )
    job_process: bool = Field(
        True,
        description="Run admin re-ingest jobs in a child process of their own, so the API's memory and interpreter "
        "are never the job's; false runs them in a thread of the API process",
    )
    changes_retention_days: int = Field(
        90,
        ge=1,
        description="Days /changes keeps a deletion's tombstone; an ingest that changes something prunes older "
        "ones, and a feed cursor from before a pruned tombstone is answered 410 Gone",
    )
    rate_limit_per_minute: int | None = Field(
        None, ge=1, description="Requests per minute one client address may make (per worker); unset: no limit"
    )
    dumps_dir: Path | None = Field(
        None,
        description="Folder where each ingest that changed data publishes a bulk dump (the newest two are kept), "
        "served at GET /dumps/latest; unset (or empty): no dumps, and /dumps answers 404",
    )
    log_level: LogLevel = Field(
        "INFO",
        description="The least severe log lines written to stderr, by the API (INFO: one line per request) "
        "and by ingest jobs",
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_case_level(cls, level: Any) -> Any:
        return level.upper() if isinstance(level, str) else level

    @field_validator("dumps_dir", mode="before")
    @classmethod
    def _empty_is_unset(cls, folder: Any) -> Any:
        return None if folder == "" else folder

    @field_validator("database_url")
    @classmethod
    def _explicit_pg_driver(cls, url: str) -> str:
        # Hosting platforms hand out postgres:// URLs; SQLAlchemy would pick psycopg2, which we do not ship.
        return re.sub(r"^postgres(ql)?://", "postgresql+psycopg://", url)


@lru_cache
def get_settings() -> Settings:
    return Settings()


class StderrHandler(logging.StreamHandler[TextIO]):
    """Writes to the `sys.stderr` of the moment, so a stream swapped after configuration (a test's
    capture, a daemon's redirect) gets the lines."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def logging_config(level: LogLevel) -> dict[str, Any]:
    """The one logging configuration (`logging.config.dictConfig`) of the API, its server and the
    ingest jobs: plain lines on stderr. At INFO uvicorn's access log writes one line per request
    (its address, method, path and status: never a header, so never a token)."""
    to_stderr = {"handlers": ["stderr"], "level": level, "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {"stderr": {"()": StderrHandler, "formatter": "line"}},
        "loggers": {
            # The app's lines also reach the root logger's handlers, if something (a test) set any.
            "app": {"handlers": ["stderr"], "level": level, "propagate": True},
            "uvicorn": to_stderr,
            "uvicorn.error": {"level": level, "propagate": True},
            "uvicorn.access": to_stderr,
        },
    }


@lru_cache
def configure_logging(level: LogLevel) -> None:
    """Configure logging once per process (and level): the API app, the CLI and a job's process call it.
    A server started without an access log (`uvicorn --no-access-log`, `access_log=False`) keeps
    it off: uvicorn leaves that logger with no handler and not propagating before the app loads."""
    config = logging_config(level)
    access = logging.getLogger("uvicorn.access")
    if not access.propagate and not access.handlers:
        config["loggers"]["uvicorn.access"] = {"handlers": [], "level": level, "propagate": False}
    logging.config.dictConfig(config)
