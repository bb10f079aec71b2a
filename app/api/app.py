"""create_app: the ASGI application, its routers and its error handling."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import version as package_version
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine
from starlette.types import Scope

from app.api import admin, changes, documents, dumps, health, institutions, metrics, people, proposals
from app.api.cache import ResponseCache
from app.api.deps import app_reader
from app.api.docs import install_docs
from app.api.errors import PROBLEM_RESPONSES, install_error_handlers
from app.api.health import FastHealth
from app.api.http import GZipWhenAccepted, HttpManners
from app.api.params import refresh_query_openapi
from app.api.ratelimit import RateLimit
from app.config import configure_logging, get_settings
from app.web import pages
from app.web.errors import install_page_errors
from app.web.render import STATIC, is_page

DESCRIPTION = """\
Reply letters that government departments publish in answer to people's-congress deputies'
suggestions (人大代表建议) and CPPCC members' proposals (政协提案), as structured data:
documents, the proposals they answer, the institutions and people they name, and the figures
they state, each figure with the sentence it came from.

Lists take `limit` and `cursor` and return `{"items": [...], "next_cursor": ...}`.
Every error is an `application/problem+json` body naming the parameter at fault.
"""


GZIP_LEVEL = 4
"""Fast compression: level 9 (the default) costs several times the CPU for a few percent of bytes."""


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Sync routes (admin) and exports run in anyio's thread pool (40 threads by default). Under
    load, many threads running Python take turns on the interpreter lock and each wait costs more
    than the work; a few threads serve more requests per second (benchmarks/README.md). At the
    end, the reader's asyncio connections are closed on the loop that opened them."""
    anyio.to_thread.current_default_thread_limiter().total_tokens = get_settings().api_threads
    try:
        yield
    finally:
        reader = getattr(app.state, "reader", None)
        if reader is not None:
            app.state.reader = None
            await reader.dispose()


BUILD = f"{package_version('replies')}"


async def _data_version(scope: Scope) -> int:
    return await app_reader(scope["app"]).data_version()


class RepliesApi(FastAPI):
    def openapi(self) -> dict[str, Any]:
        """The OpenAPI document, made once per app with the settings of that moment (page limits)."""
        if self.openapi_schema is None:
            refresh_query_openapi()
        return super().openapi()


def create_app(engine: Engine | None = None) -> FastAPI:
    """The app; on `engine` when given (tests), else on the engine DATABASE_URL names."""
    settings = get_settings()
    configure_logging(settings.log_level)
    app = RepliesApi(
        title="Reply letters API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by `install_docs`, assets and all, from the app itself
        redoc_url=None,
        telemetry={"tracing": settings.telemetry, "metrics": settings.telemetry, "logs": settings.telemetry},
    )
    app.state.engine = engine
    install_error_handlers(app)
    for module in (documents, proposals, institutions, people, metrics, changes, dumps, admin):
        app.include_router(module.router, responses=PROBLEM_RESPONSES)
    app.include_router(health.router)  # it answers 200 or 503, and documents only those
    install_docs(app)
    app.include_router(pages.router)
    install_page_errors(app)
    app.mount(STATIC, StaticFiles(packages=[("app.web", "static")]), name="static")
    # Added innermost first: ETags and the cache see the plain body, then gzip, then CORS outside all.
    cache = ResponseCache(settings.response_cache_mb * 2**20) if settings.response_cache_mb else None
    app.add_middleware(
        HttpManners,
        max_age=settings.cache_max_age,
        data_version=_data_version,
        build=BUILD,
        cache=cache,
        is_page=is_page,
    )
    app.add_middleware(GZipWhenAccepted, minimum_size=1024, compresslevel=GZIP_LEVEL)
    app.add_middleware(FastHealth)
    if settings.rate_limit_per_minute:
        app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "HEAD", "POST"],
            allow_headers=["Authorization", "Content-Type", "If-None-Match", "Range", "If-Range"],
            expose_headers=["ETag", "Content-Range", "Accept-Ranges"],  # a dump's download resumes (/dumps)
        )
    return app
