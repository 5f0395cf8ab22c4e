FROM node:18
RUN npm install -g pm2 nodemon
WORKDIR /srv
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
CMD ["pm2-runtime", "index.js"]
