from debian:12
run groupadd --system app && useradd --system --gid app --create-home app
run apt-get update
copy --chown=app:app app /app
user app
cmd ["/app/run"]
