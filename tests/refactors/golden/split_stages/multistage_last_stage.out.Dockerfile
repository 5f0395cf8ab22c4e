FROM node:20 AS assets
WORKDIR /assets
COPY web/ .
RUN npm ci && npm run build

FROM golang:1.22 AS builder
WORKDIR /src
COPY . .
COPY --from=assets /assets/dist ./web/dist
RUN CGO_ENABLED=0 go build -o /app ./cmd/site

FROM gcr.io/distroless/static-debian12 AS app
WORKDIR /src
COPY --from=builder /app /app
EXPOSE 80
CMD ["/app"]
