from debian:12
run apt-get update
copy app /app
cmd ["/app/run"]
