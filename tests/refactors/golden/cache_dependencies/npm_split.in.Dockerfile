FROM node:20-bookworm-slim AS build
WORKDIR /app
# Everything, so the build sees the sources
COPY --chown=node:node --link . .
RUN npm ci && \
    # compile TypeScript
    npm run build && \
    npm prune --omit=dev

FROM node:20-bookworm-slim
COPY --from=build /app/dist /app
CMD ["node", "/app/index.js"]
