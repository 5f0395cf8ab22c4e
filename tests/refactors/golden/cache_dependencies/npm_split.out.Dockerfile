FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY --chown=node:node --link package*.json ./
RUN npm ci
# Everything, so the build sees the sources
COPY --chown=node:node --link . .
# compile TypeScript
RUN npm run build && \
    npm prune --omit=dev

FROM node:20-bookworm-slim
COPY --from=build /app/dist /app
CMD ["node", "/app/index.js"]
