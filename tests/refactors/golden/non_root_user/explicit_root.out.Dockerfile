FROM node:20
WORKDIR /app
COPY --chown=node:node . .
USER node
RUN npm ci
USER root
RUN mkdir -p /app && chown node /app
RUN apt-get update && apt-get install -y dumb-init
USER node
ENTRYPOINT ["dumb-init", "--"]
CMD ["node", "index.js"]
