FROM node:20-alpine
RUN mkdir -p /home/node/app && chown node:node /home/node/app
WORKDIR /home/node/app
COPY --chown=node:node package*.json ./
USER node
RUN npm ci --omit=dev
COPY --link --chown=node:node . .
CMD ["node", "server.js"]
