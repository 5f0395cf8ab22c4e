FROM node:22
COPY package*.json /usr/src/app/
WORKDIR /usr/src/app
ENV NODE_ENV=production
RUN npm install --omit=dev
ADD . /usr/src/app
EXPOSE 3000
CMD ["npm", "start"]
