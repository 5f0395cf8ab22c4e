FROM python:3.11
RUN useradd --create-home appuser
USER appuser
WORKDIR /home/appuser
COPY --chown=appuser requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=appuser . .
CMD ["python", "main.py"]
