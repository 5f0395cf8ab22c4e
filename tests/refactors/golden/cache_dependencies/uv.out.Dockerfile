FROM ghcr.io/astral-sh/uv:python3.12-bookworm-slim
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --no-install-project --locked
COPY . .
RUN uv sync --locked
CMD ["uv", "run", "app"]
