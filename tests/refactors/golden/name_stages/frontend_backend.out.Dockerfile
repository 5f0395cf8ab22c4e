FROM node:20 AS node-builder
WORKDIR /web
COPY package.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM golang:1.22 AS go-builder
WORKDIR /src
COPY . .
RUN go build -o /app .

from golang:1.22 as test
RUN go test ./...

FROM nginx:1.25 AS runtime
COPY --from=node-builder /web/dist /usr/share/nginx/html
COPY --from=go-builder /app /app
RUN --mount=from=0,target=/x ls /x
