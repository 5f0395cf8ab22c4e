FROM python:3.12-slim
WORKDIR /srv/app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
RUN python manage.py migrate
VOLUME ["/srv/data", "/var/log/app"]
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
