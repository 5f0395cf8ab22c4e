FROM maven:3.9-eclipse-temurin-21 AS build
COPY . .
RUN --mount=type=cache,target=/root/.m2 mvn -B package -DskipTests
FROM gradle:8-jdk21
COPY . .
RUN --mount=type=cache,target=/root/.gradle gradle build --no-daemon
