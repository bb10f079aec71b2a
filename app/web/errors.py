"""Errors on pages: the API's own problem, drawn as an HTML page with the same status.

Every exception handler the API installs is wrapped: on a page's path the problem it builds (a
422 naming the parameter, a 404 naming the id, a 503) is rendered into `error.html`; elsewhere the
API's problem+json passes through untouched. One set of messages serves both.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
from fastapi import FastAPI, Request
from starlette.responses import Response

from app.web.render import is_page, page

Handler = Callable[[Request, Any], Response | Awaitable[Response]]


def install_page_errors(app: FastAPI) -> None:
    """Call after the API's handlers are installed: it wraps each of them."""
    for exc_class, handler in list(app.exception_handlers.items()):
        app.add_exception_handler(exc_class, _on_pages(handler))


def _on_pages(handler: Handler) -> Handler:
    async def handle(request: Request, exc: Any) -> Response:
        answered = handler(request, exc)
        response = await answered if inspect.isawaitable(answered) else answered
        if not is_page(request.url.path):
            return response
        problem: dict[str, Any] = orjson.loads(bytes(response.body))
        html = page("error.html", {"problem": problem, "api": []}, status_code=response.status_code)
        for name, value in response.headers.items():
            if name.lower() not in ("content-type", "content-length"):
                html.headers[name] = value
        return html

    return handle
