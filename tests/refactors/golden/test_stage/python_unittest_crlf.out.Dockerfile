FROM python:3.12 AS builder
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
CMD ["gunicorn", "app:app"]

FROM builder AS test
RUN python -m unittest discover

FROM builder AS runtime
