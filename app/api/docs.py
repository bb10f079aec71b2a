"""/docs (Swagger UI) and /redoc (ReDoc), served with their scripts and styles from the app itself.

FastAPI's own pages load both from a CDN, and ReDoc's from Google Fonts: in a newsroom's network or
offline they stay blank, and the content security policy had to let a CDN run scripts on our origin.
The assets come from a pinned package (`fastapi-offline`, MIT, which ships Swagger UI's and ReDoc's
bundles); only the files the pages use are served, from `/docs/assets/`.
"""

from __future__ import annotations

from pathlib import Path

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

from app.api.errors import NotFound

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSET_URL = "/docs/assets"
ASSET_TYPES = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "redoc.standalone.js": "text/javascript; charset=utf-8",
    "favicon.png": "image/png",
}
"""The files the two pages load: nothing else of the package's folder is served."""

OAUTH2_REDIRECT = "/docs/oauth2-redirect"


def install_docs(app: FastAPI) -> None:
    """The docs pages on `app`, which must be made with `docs_url=None, redoc_url=None`."""
    openapi_url = app.openapi_url or "/openapi.json"
    router = APIRouter(include_in_schema=False)

    @router.get("/docs")
    async def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url,
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=OAUTH2_REDIRECT,
            swagger_js_url=f"{ASSET_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSET_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSET_URL}/favicon.png",
            # No badge from the public validator: the page asks nothing of another origin.
            swagger_ui_parameters={"validatorUrl": None},
        )

    @router.get(OAUTH2_REDIRECT)
    async def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @router.get("/redoc")
    async def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url=openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{ASSET_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{ASSET_URL}/favicon.png",
            with_google_fonts=False,
        )

    @router.get(ASSET_URL + "/{name}")
    async def asset(name: str) -> FileResponse:
        media_type = ASSET_TYPES.get(name)
        if media_type is None:
            raise NotFound(f"docs asset {name}")
        return FileResponse(ASSETS / name, media_type=media_type)

    app.include_router(router)
