"""The ASGI app: `uvicorn app.main:app`."""

from app.api.app import create_app
from app.process import limit_malloc_arenas

limit_malloc_arenas()  # at import, before the server starts its threads
app = create_app()
