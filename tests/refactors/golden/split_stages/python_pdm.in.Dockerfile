FROM python:3.12-bookworm
RUN pip install --no-cache-dir pdm==2.19.3
WORKDIR /app
COPY pyproject.toml pdm.lock ./
RUN pdm install --prod --frozen-lockfile --no-self
COPY . .
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
