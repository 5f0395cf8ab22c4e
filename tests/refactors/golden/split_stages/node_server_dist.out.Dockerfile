FROM node:20-bookworm AS builder

WORKDIR /usr/src/app
COPY . .
RUN npm ci
RUN npm run build
RUN npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /usr/src/app
COPY --from=builder /usr/src/app/package.json /usr/src/app/package.json
COPY --from=builder /usr/src/app/node_modules /usr/src/app/node_modules
COPY --from=builder /usr/src/app/dist /usr/src/app/dist
COPY --from=builder /usr/src/app/views /usr/src/app/views

ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["npm", "start"]
