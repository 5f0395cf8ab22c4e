FROM python:3.11-bookworm AS builder
RUN pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN python -m venv /opt/venv
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
RUN pipenv install --system --deploy

FROM python:3.11-slim-bookworm
WORKDIR /app
ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"
COPY --from=builder /opt/venv /opt/venv
COPY --from=builder /app /app
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
