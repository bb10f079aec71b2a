# The API, migrating its database on start. DATABASE_URL comes from the environment
# (default: an SQLite file in /srv/data); mount sources at /srv/seeds or set SOURCE_DIR.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////srv/data/replies.db

WORKDIR /srv
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
COPY seeds ./seeds
# Editable, so the app finds migrations/ and seeds/ beside itself as in a checkout.
RUN pip install -e .

RUN useradd --system --home /srv replies && mkdir -p /srv/data && chown replies /srv/data
USER replies

EXPOSE 8000
CMD ["sh", "-c", "python -m app migrate && exec python -m app serve --host 0.0.0.0 --port 8000"]
