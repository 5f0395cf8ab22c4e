FROM node:20
WORKDIR /app
# sources
COPY . .
RUN npm ci && \
    npm run build
CMD ["node", "."]
