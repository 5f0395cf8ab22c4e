FROM ubuntu:24.04
RUN apt-get update && apt-get install -y curl
COPY bin/tool /opt/tool/bin/tool
CMD ["/opt/tool/bin/tool"]
