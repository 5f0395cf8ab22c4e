FROM python:3.11-bookworm AS builder
RUN pip install poetry==1.8.3
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN poetry config virtualenvs.create false \
    && poetry install --only main --no-root

FROM python:3.11-slim-bookworm
WORKDIR /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
COPY . .
CMD ["python", "-m", "myapp"]
