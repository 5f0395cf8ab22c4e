FROM node:20
WORKDIR /usr/src/app
COPY package*.json ./
RUN npm install
COPY . .
EXPOSE 3000
# webpack-dev-server writes node_modules/.cache
CMD ["npm", "start"]
