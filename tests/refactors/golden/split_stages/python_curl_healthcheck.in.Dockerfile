FROM python:3.12-alpine

# curl for the compose healthcheck
RUN apk add --no-cache curl

WORKDIR /srv
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .

EXPOSE 5000
CMD ["gunicorn", "-b", "0.0.0.0:5000", "app:app"]
