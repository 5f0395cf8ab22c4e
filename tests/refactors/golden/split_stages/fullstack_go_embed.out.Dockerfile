FROM node:18-bookworm AS frontend
WORKDIR /src/web
COPY web/ ./
RUN npm ci && npm run build

FROM golang:1.22-bookworm AS builder
WORKDIR /src
COPY . .
COPY --from=frontend /src/web/build /src/web/build
RUN CGO_ENABLED=0 go build -o /bin/server .

FROM gcr.io/distroless/static-debian12
WORKDIR /src
COPY --from=builder /bin/server /bin/server
EXPOSE 8080
CMD ["/bin/server"]
