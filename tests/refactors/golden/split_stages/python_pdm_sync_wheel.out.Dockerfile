FROM python:3.11 AS builder
RUN pip install pdm
WORKDIR /srv
COPY . .
RUN pdm sync --prod --no-editable

FROM python:3.11-slim
WORKDIR /srv
COPY --from=builder /srv/.venv /srv/.venv
COPY --from=builder /srv/templates /srv/templates
ENV PATH=/srv/.venv/bin:$PATH
CMD ["python", "-m", "tasks"]
