FROM golang:1.22
WORKDIR /srv/guestbook
COPY . .
RUN CGO_ENABLED=0 go build -o guestbook .
EXPOSE 8080
CMD ["./guestbook"]
