FROM node:18 AS builder
RUN npm install -g pm2 nodemon
WORKDIR /srv
COPY package.json package-lock.json ./
RUN npm ci
RUN npm prune --omit=dev

FROM node:18-slim
RUN npm install -g pm2
WORKDIR /srv
COPY --from=builder /srv /srv
COPY . .
CMD ["pm2-runtime", "index.js"]
