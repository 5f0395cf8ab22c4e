FROM python:3.12
COPY docker-entrypoint.sh /usr/local/bin/
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["python", "app.py"]
