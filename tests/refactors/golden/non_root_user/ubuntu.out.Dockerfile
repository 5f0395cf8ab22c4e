FROM ubuntu:24.04
RUN groupadd --system app && useradd --system --gid app --create-home app
RUN apt-get update && apt-get install -y curl
COPY --chown=app:app bin/tool /opt/tool/bin/tool
USER app
CMD ["/opt/tool/bin/tool"]
