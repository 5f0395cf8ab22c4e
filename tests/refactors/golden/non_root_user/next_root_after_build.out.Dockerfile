FROM node:20-alpine
RUN mkdir -p /app && chown node:node /app
RUN apk add --no-cache libc6-compat
WORKDIR /app
COPY --chown=node:node . .
RUN npm ci && npm run build && find /app ! -user node -exec chown node:node {} +
RUN apk add --no-cache curl
EXPOSE 3000
USER node
CMD ["npx", "next", "start"]
