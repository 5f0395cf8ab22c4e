FROM python:3.12
WORKDIR /app
COPY requirements*.txt ./
RUN pip install -r requirements.txt
COPY package*.json ./
RUN npm ci
COPY . .
RUN npm run build
