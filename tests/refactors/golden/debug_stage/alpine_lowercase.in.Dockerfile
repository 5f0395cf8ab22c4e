from node:22-alpine as deps
workdir /app
copy package*.json ./
run npm ci --omit=dev

from deps
copy . .
cmd ["node", "server.js"]
