FROM node:20
WORKDIR /app
COPY web/package*.json web/
RUN cd web && npm ci
COPY . .
RUN cd web && npm run build
