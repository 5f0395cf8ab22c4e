FROM python:3.11-bookworm
RUN pip install pipenv
WORKDIR /app
COPY Pipfile Pipfile.lock ./
RUN pipenv install --system --deploy
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
