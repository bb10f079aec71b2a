# The API, migrating its database on start. DATABASE_URL comes from the environment
# (default: an SQLite file in /srv/data); mount sources at /srv/seeds or set SOURCE_DIR.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DATABASE_URL=sqlite:////srv/data/replies.db \
    SOURCE_DIR=/srv/seeds

# The locked versions, each checked against its hash; then the app itself, as a package (its
# migrations inside it), built outside /srv so that `python -m app` imports the installed copy.
COPY requirements.txt /tmp/build/
RUN pip install --require-hashes --no-deps -r /tmp/build/requirements.txt
COPY pyproject.toml README.md /tmp/build/
COPY app /tmp/build/app
RUN pip install --no-deps /tmp/build && rm -rf /tmp/build

WORKDIR /srv
COPY seeds ./seeds
RUN useradd --system --home /srv replies && mkdir -p /srv/data && chown replies /srv/data
USER replies

EXPOSE 8000
# A database server started beside the container may take a while to accept connections.
CMD ["sh", "-c", "python -m app migrate --wait 60 && exec python -m app serve --host 0.0.0.0 --port 8000"]
