FROM node:20-alpine
WORKDIR /home/node/app
COPY --chown=node:node package*.json ./
RUN npm ci --omit=dev
COPY --link --chown=node:node . .
USER node
CMD ["node", "server.js"]
