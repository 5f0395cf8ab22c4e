FROM eclipse-temurin:21-jdk AS build
WORKDIR /home/gradle/src
COPY . .
RUN chmod +x gradlew && ./gradlew bootJar --no-daemon
