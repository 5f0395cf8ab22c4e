FROM golang:1.22-bookworm
WORKDIR /src
COPY . .
RUN chmod +x scripts/build.sh && ./scripts/build.sh
EXPOSE 8080
CMD ["api"]
