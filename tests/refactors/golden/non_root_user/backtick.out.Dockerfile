# escape=`
FROM debian:12
RUN groupadd --system app && useradd --system --gid app --create-home app
RUN apt-get update && `
    apt-get install -y curl
COPY --chown=app:app app /srv/app
USER app
CMD ["/srv/app"]
