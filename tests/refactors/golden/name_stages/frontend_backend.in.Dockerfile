FROM node:20
WORKDIR /web
COPY package.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /app .

from golang:1.22
RUN go test ./...

FROM nginx:1.25
COPY --from=0 /web/dist /usr/share/nginx/html
COPY --from=1 /app /app
RUN --mount=from=0,target=/x ls /x
