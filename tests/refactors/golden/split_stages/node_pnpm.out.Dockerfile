FROM node:20 AS builder
RUN corepack enable
WORKDIR /app
COPY package.json pnpm-lock.yaml ./
RUN pnpm install --frozen-lockfile
COPY . .
RUN pnpm build
RUN pnpm prune --prod

FROM node:20-slim
WORKDIR /app
COPY --from=builder /app /app
CMD ["node", "dist/index.js"]
