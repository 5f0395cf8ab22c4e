from node:22-alpine as deps
workdir /app
copy package*.json ./
run npm ci --omit=dev

from deps as runtime
copy . .
cmd ["node", "server.js"]

from runtime as debug
# hadolint ignore=DL3018
run apk add --no-cache curl iproute2 strace

from runtime as release
