from node:20-slim as base
workdir /app

from base
copy package*.json ./
run npm ci --omit=dev

from nginx:1.27
copy nginx.conf /etc/nginx/nginx.conf

from base
copy --from=1 /app/node_modules ./node_modules
copy --from=2 /etc/nginx /etc/nginx
copy . .
cmd ["node", "server.js"]
