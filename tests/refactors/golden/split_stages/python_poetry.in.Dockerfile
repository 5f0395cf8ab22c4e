FROM python:3.11-bookworm
RUN pip install poetry==1.8.3
WORKDIR /app
COPY pyproject.toml poetry.lock ./
RUN poetry config virtualenvs.create false \
    && poetry install --only main --no-root
COPY . .
CMD ["python", "-m", "myapp"]
