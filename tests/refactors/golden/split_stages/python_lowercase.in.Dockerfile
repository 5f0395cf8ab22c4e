from python:3.10
workdir /srv
copy requirements.txt .
run pip install -r requirements.txt
copy . .
expose 5000
cmd ["flask", "run", "--host=0.0.0.0"]
