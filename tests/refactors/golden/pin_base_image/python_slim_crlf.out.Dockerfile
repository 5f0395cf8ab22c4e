from python:3.14-slim
run pip install flask
