FROM node:20-bookworm AS builder
WORKDIR /app
COPY . .
RUN yarn install --immutable
RUN yarn build
RUN yarn workspaces focus --all --production

FROM node:20-bookworm-slim
WORKDIR /app
COPY --from=builder /app/package.json /app/package.json
COPY --from=builder /app/yarn.lock /app/yarn.lock
COPY --from=builder /app/.yarnrc.yml /app/.yarnrc.yml
COPY --from=builder /app/.pnp.* /app/
COPY --from=builder /app/.yarn /app/.yarn
COPY --from=builder /app/dist /app/dist
ENV NODE_ENV=production
EXPOSE 3000
CMD ["yarn", "node", "dist/server.js"]
