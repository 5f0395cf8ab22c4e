FROM python:3.12-slim
RUN groupadd --system app && useradd --system --gid app --create-home app \
    && mkdir -p /srv/app /srv/data /var/log/app && chown app:app /srv/app /srv/data /var/log/app
WORKDIR /srv/app
COPY --chown=app:app requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=app:app . .
RUN python manage.py migrate && find /srv/app ! -user app -exec chown app:app {} +
VOLUME ["/srv/data", "/var/log/app"]
USER app
CMD ["python", "manage.py", "runserver", "0.0.0.0:8000"]
