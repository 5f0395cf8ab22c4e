from python:slim
run pip install flask
