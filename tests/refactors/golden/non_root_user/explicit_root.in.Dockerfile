FROM node:20
WORKDIR /app
COPY --chown=node:node . .
USER node
RUN npm ci
USER root
RUN apt-get update && apt-get install -y dumb-init
ENTRYPOINT ["dumb-init", "--"]
CMD ["node", "index.js"]
