FROM python:3.11 AS builder
RUN useradd --create-home appuser
USER appuser
WORKDIR /home/appuser
COPY --chown=appuser requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

FROM python:3.11-slim
RUN useradd --create-home appuser
USER appuser
WORKDIR /home/appuser
COPY --from=builder /home/appuser /home/appuser
COPY --chown=appuser . .
CMD ["python", "main.py"]
