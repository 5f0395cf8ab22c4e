FROM node:20-alpine AS builder
WORKDIR /app
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN yarn build
RUN yarn install --production --frozen-lockfile

FROM node:20-alpine
WORKDIR /app
COPY --from=builder /app /app
CMD ["yarn", "start"]
