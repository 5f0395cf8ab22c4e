FROM python:3.12-alpine
RUN addgroup -S app && adduser -S app -G app && mkdir -p /app && chown app:app /app
WORKDIR /app
COPY --chown=app:app requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=app:app . .
EXPOSE 8000
USER app
# Start the server
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
