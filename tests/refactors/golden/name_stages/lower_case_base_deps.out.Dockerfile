from node:20-slim as base
workdir /app

from base as deps
copy package*.json ./
run npm ci --omit=dev

from nginx:1.27 as nginx-stage
copy nginx.conf /etc/nginx/nginx.conf

from base as runtime
copy --from=deps /app/node_modules ./node_modules
copy --from=nginx-stage /etc/nginx /etc/nginx
copy . .
cmd ["node", "server.js"]
