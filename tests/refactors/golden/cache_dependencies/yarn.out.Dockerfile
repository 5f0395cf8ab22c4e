FROM node:20-alpine
WORKDIR /project
COPY package.json yarn.lock ./
RUN yarn global add @vue/cli
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
CMD ["yarn", "serve"]
