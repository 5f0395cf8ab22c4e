FROM python:3.12
RUN pip install --no-cache-dir uv
WORKDIR /srv
COPY requirements.txt .
RUN uv pip install --system -r requirements.txt
COPY . .
CMD ["python", "-m", "worker"]
