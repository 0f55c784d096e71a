# syntax=docker/dockerfile:1
# Build: a virtualenv from the hash-pinned lock file. Run: slim, non-root, with a healthcheck.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app
RUN python -m venv /opt/venv
COPY requirements.lock ./
RUN /opt/venv/bin/pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md alembic.ini ./
COPY api ./api
COPY cli ./cli
COPY db ./db
COPY ingest ./ingest
COPY alembic ./alembic
# Editable: the code stays in /app beside alembic.ini and the demo corpus, as in a checkout.
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation -e .

FROM python:3.11-slim-bookworm AS runtime
# ANNALS_DATA_DIR holds each API node's derived search index (rebuilt from the change log when empty).
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 ANNALS_DATA_DIR=/var/lib/annals
RUN groupadd --system --gid 10001 annals \
 && useradd --system --uid 10001 --gid annals --home-dir /app --shell /usr/sbin/nologin annals \
 && mkdir -p /var/lib/annals && chown 10001:10001 /var/lib/annals
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["annals", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
