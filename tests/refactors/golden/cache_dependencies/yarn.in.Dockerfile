FROM node:20-alpine
WORKDIR /project
COPY . .
RUN yarn global add @vue/cli
RUN yarn install --frozen-lockfile
RUN yarn build
CMD ["yarn", "serve"]
