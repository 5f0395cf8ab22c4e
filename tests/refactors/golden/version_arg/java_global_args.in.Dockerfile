ARG REGISTRY=docker.io
FROM eclipse-temurin:21-jdk AS build
RUN ./gradlew build

FROM eclipse-temurin:21-jre-alpine
COPY --from=build /app.jar /app.jar
