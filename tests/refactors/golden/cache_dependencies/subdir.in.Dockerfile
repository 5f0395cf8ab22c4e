FROM node:20
COPY . /app
WORKDIR /app/frontend
RUN npm ci && npm run build
