FROM node:20-bookworm

WORKDIR /usr/src/app
COPY . .
RUN npm ci
RUN npm run build

ENV NODE_ENV=production PORT=3000
EXPOSE 3000
CMD ["npm", "start"]
