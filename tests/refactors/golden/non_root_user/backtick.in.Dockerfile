# escape=`
FROM debian:12
RUN apt-get update && `
    apt-get install -y curl
COPY app /srv/app
CMD ["/srv/app"]
