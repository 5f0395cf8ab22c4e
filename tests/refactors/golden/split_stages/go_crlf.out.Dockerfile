FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/app .

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=builder /bin/app /bin/app
EXPOSE 8080
CMD ["/bin/app"]
