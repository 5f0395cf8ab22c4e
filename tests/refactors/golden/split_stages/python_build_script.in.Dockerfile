FROM python:3.12
WORKDIR /app
COPY . .
RUN pip install build && python -m build --wheel && pip install dist/*.whl
CMD ["python", "main.py"]
