FROM bitnami/python:3.12
RUN mkdir -p /app && chown 1001 /app
WORKDIR /app
COPY --chown=1001 . .
RUN pip install -r requirements.txt
USER 1001
CMD ["python", "app.py"]
