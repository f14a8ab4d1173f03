# syntax=docker/dockerfile:1
# Three stages: GraphiQL's files from the npm registry (checked against their
# pinned hashes), the wheel, and a runtime image that installs the wheel with the
# locked dependencies and runs as a non-root user from an empty folder.
#
#   docker build -t spacerace:local .   (docker compose builds it as the `api` service)
#
# tests/packaging/test_container.py reproduces this file's layout without Docker
# by reading it: keep to FROM, WORKDIR, COPY, RUN, ENV, USER, EXPOSE, HEALTHCHECK
# and CMD; RUN lines are simple commands joined by &&, with absolute paths only
# inside the image (or through ENV variables).

FROM node:20.20.2-bookworm-slim AS assets
WORKDIR /src
COPY scripts/graphiql-assets scripts/graphiql-assets
COPY api/graphiql-assets.json api/graphiql-assets.json
RUN node scripts/graphiql-assets

FROM python:3.11.14-slim-bookworm AS python

FROM python AS build
WORKDIR /src
COPY pyproject.toml README.md LICENSE constraints.txt ./
COPY spacerace spacerace
COPY api api
COPY schema schema
COPY store store
COPY loaders loaders
COPY seeds seeds
COPY docs/queries docs/queries
COPY --from=assets /src/api/static/graphiql api/static/graphiql
# The build backend at its locked version, then the wheel from this tree.
RUN pip install --no-cache-dir --disable-pip-version-check -c constraints.txt setuptools \
    && pip wheel --no-cache-dir --disable-pip-version-check --no-build-isolation --no-deps \
        --wheel-dir dist .

FROM python AS runtime
ENV VIRTUAL_ENV=/opt/spacerace \
    PATH=/opt/spacerace/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
COPY --from=build /src/dist/ /src/constraints.txt /tmp/install/
RUN python -m venv $VIRTUAL_ENV \
    && pip install --no-cache-dir --disable-pip-version-check -c /tmp/install/constraints.txt \
        /tmp/install/spacerace-*.whl \
    && rm -r /tmp/install \
    && groupadd --system --gid 10001 spacerace \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin spacerace
# An empty working folder: the seeds, the example queries and GraphiQL's files
# are package data in site-packages.
WORKDIR /srv/spacerace
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/readyz', timeout=3)"]
CMD ["spacerace", "serve", "--host", "0.0.0.0", "--port", "8000"]
