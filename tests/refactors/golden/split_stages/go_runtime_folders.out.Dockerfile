FROM golang:1.22 AS builder
WORKDIR /srv/guestbook
COPY . .
RUN CGO_ENABLED=0 go build -o guestbook .

FROM gcr.io/distroless/static-debian12
WORKDIR /srv/guestbook
COPY --from=builder /srv/guestbook/guestbook /srv/guestbook/guestbook
COPY --from=builder /srv/guestbook/static /srv/guestbook/static
COPY --from=builder /srv/guestbook/templates /srv/guestbook/templates
COPY --from=builder /srv/guestbook/config.json /srv/guestbook/config.json
EXPOSE 8080
CMD ["./guestbook"]
