FROM node:20
WORKDIR /app
COPY package*.json ./
RUN npm ci
# sources
COPY . .
RUN npm run build
CMD ["node", "."]
