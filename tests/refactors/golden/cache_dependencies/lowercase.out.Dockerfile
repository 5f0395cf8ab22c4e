from python:3.12-alpine
workdir /srv
copy requirements/ requirements/
run pip install -r requirements/base.txt
copy . .
cmd ["python", "main.py"]
