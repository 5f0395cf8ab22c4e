FROM node:20-bookworm
WORKDIR /app
COPY . .
RUN yarn install --immutable
RUN yarn build
ENV NODE_ENV=production
EXPOSE 3000
CMD ["yarn", "node", "dist/server.js"]
