FROM node:20 AS builder
WORKDIR /app
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build

FROM builder AS test
RUN npm test

FROM nginx:1.27
COPY --from=0 /app/dist /usr/share/nginx/html
