FROM python:3.11
RUN pip install pdm
WORKDIR /srv
COPY . .
RUN pdm sync --prod --no-editable
ENV PATH=/srv/.venv/bin:$PATH
CMD ["python", "-m", "tasks"]
