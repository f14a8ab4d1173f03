FROM python:3.11-slim

WORKDIR /app
COPY pyproject.toml README.md ./
COPY api api
COPY schema schema
COPY loaders loaders
COPY store store
COPY seeds seeds
COPY docs docs
COPY spacerace spacerace
RUN pip install --no-cache-dir . \
    && useradd --system --no-create-home spacerace

ENV SPACERACE_SEEDS=/app/seeds
USER spacerace
EXPOSE 8000
CMD ["spacerace", "serve", "--host", "0.0.0.0", "--port", "8000"]
