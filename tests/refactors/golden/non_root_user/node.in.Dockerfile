FROM node:20-alpine
WORKDIR /home/node/app
COPY package*.json ./
RUN npm ci --omit=dev
COPY --link . .
CMD ["node", "server.js"]
