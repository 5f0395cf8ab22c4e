FROM node:18-alpine AS builder
RUN apk add --no-cache python3 make g++
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
RUN npm prune --omit=dev

FROM node:18-alpine
WORKDIR /app
COPY --from=builder /app /app
USER node
CMD ["node", "build/index.js"]
