FROM node:20.11-bookworm
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build
RUN npm install -g serve@14
EXPOSE 3000
CMD ["serve", "-s", "build", "-l", "3000"]
