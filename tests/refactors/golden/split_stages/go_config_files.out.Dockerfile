FROM golang:1.22 AS builder
WORKDIR /app
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -o api .

FROM gcr.io/distroless/static-debian12
WORKDIR /app
COPY --from=builder /app/api /app/api
COPY --from=builder /app/.env /app/.env
COPY --from=builder /app/config.yaml /app/config.yaml
EXPOSE 8080
CMD ["./api"]
