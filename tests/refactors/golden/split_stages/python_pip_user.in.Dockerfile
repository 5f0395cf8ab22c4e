FROM python:3.12
WORKDIR /app
COPY requirements.txt .
RUN pip install --user --no-cache-dir -r requirements.txt
ENV PATH=/root/.local/bin:$PATH
COPY . .
CMD ["gunicorn", "-b", "0.0.0.0:8000", "app:app"]
