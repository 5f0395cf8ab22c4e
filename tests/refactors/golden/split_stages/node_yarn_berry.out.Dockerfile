FROM node:20-bookworm AS builder
RUN corepack enable
WORKDIR /srv/app
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build
RUN yarn workspaces focus --all --production

FROM node:20-bookworm-slim
WORKDIR /srv/app
COPY --from=builder /srv/app/package.json /srv/app/package.json
COPY --from=builder /srv/app/node_modules /srv/app/node_modules
COPY --from=builder /srv/app/lib /srv/app/lib
CMD ["node", "lib/main.js"]
