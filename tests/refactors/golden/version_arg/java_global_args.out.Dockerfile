ARG REGISTRY=docker.io
ARG JAVA_VERSION=21
FROM eclipse-temurin:${JAVA_VERSION}-jdk AS build
RUN ./gradlew build

FROM eclipse-temurin:${JAVA_VERSION}-jre-alpine
COPY --from=build /app.jar /app.jar
