FROM maven:3.9-eclipse-temurin-21 AS build
COPY . .
RUN mvn -B package -DskipTests
FROM gradle:8-jdk21
COPY . .
RUN gradle build --no-daemon
