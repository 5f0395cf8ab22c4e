FROM node:20 AS web
WORKDIR /web
COPY . .
RUN npm ci && npm run build

FROM python:3.12-slim
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
COPY --from=web /web/dist ./static
CMD ["python", "app.py"]
