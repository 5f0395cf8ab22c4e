FROM node:20-alpine
RUN apk add --no-cache libc6-compat
WORKDIR /app
COPY . .
RUN npm ci && npm run build
RUN apk add --no-cache curl
EXPOSE 3000
CMD ["npx", "next", "start"]
