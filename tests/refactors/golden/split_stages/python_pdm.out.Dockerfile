FROM python:3.12-bookworm AS builder
RUN pip install --no-cache-dir pdm==2.19.3
WORKDIR /app
COPY pyproject.toml pdm.lock ./
RUN pdm install --prod --frozen-lockfile --no-self

FROM python:3.12-slim-bookworm
WORKDIR /app
COPY --from=builder /app /app
COPY . .
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
