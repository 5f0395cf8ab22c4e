FROM python:3.12-alpine
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
EXPOSE 8000
# Start the server
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
