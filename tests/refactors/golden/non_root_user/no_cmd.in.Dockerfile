FROM alpine:3.20
COPY tools/ /tools/
RUN chmod +x /tools/*
