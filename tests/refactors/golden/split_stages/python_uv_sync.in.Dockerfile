FROM python:3.11-slim

RUN pip install uv==0.4.30
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-dev

ENV PATH="/app/.venv/bin:$PATH"
CMD ["python", "report.py"]
