FROM node:22-alpine
WORKDIR /usr/src/web
COPY package.json pnpm-lock.yaml ./
RUN npm install -g pnpm && pnpm install --frozen-lockfile
COPY . .
RUN pnpm build
EXPOSE 8080
CMD npx http-server dist -p 8080
