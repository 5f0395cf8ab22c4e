FROM node:20
COPY frontend/package*.json /app/frontend/
WORKDIR /app/frontend
RUN npm ci
COPY . /app
RUN npm run build
