from python:3.12-alpine
workdir /srv
copy . .
run pip install -r requirements/base.txt
cmd ["python", "main.py"]
