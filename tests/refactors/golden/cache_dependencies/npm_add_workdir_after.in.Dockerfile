FROM node:22
ADD . /usr/src/app
WORKDIR /usr/src/app
ENV NODE_ENV=production
RUN npm install --omit=dev
EXPOSE 3000
CMD ["npm", "start"]
