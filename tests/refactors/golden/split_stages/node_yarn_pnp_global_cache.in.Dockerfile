FROM node:20-bookworm
RUN corepack enable
WORKDIR /srv/api
COPY package.json yarn.lock .yarnrc.yml ./
RUN yarn install --immutable
COPY . .
RUN yarn build
CMD ["node", "-r", "./.pnp.cjs", "dist/main.js"]
