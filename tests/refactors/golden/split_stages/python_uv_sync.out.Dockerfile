FROM python:3.11-slim AS builder

RUN pip install uv==0.4.30
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-dev

FROM python:3.11-slim
WORKDIR /app
COPY --from=builder /app /app

ENV PATH="/app/.venv/bin:$PATH"
CMD ["python", "report.py"]
