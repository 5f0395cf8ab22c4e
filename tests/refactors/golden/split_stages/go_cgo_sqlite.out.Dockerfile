FROM golang:1.22-bookworm AS builder
WORKDIR /app
COPY . .
RUN go build -o notes .

FROM gcr.io/distroless/base-debian12
WORKDIR /app
COPY --from=builder /app/notes /app/notes
CMD ["./notes"]
