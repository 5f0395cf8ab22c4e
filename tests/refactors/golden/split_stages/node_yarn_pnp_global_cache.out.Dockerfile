FROM node:20-bookworm AS builder
RUN corepack enable
WORKDIR /srv/api
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build
RUN yarn workspaces focus --all --production

FROM node:20-bookworm-slim
WORKDIR /srv/api
COPY --from=builder /srv/api/package.json /srv/api/package.json
COPY --from=builder /srv/api/yarn.lock /srv/api/yarn.lock
COPY --from=builder /srv/api/.yarnrc.yml /srv/api/.yarnrc.yml
COPY --from=builder /srv/api/.pnp.* /srv/api/
COPY --from=builder /srv/api/.yarn /srv/api/.yarn
COPY --from=builder /root/.yarn/berry/cache /root/.yarn/berry/cache
COPY --from=builder /srv/api/dist /srv/api/dist
CMD ["node", "-r", "./.pnp.cjs", "dist/main.js"]
