FROM eclipse-temurin:21-jdk AS build
WORKDIR /home/gradle/src
COPY build.gradle* settings.gradle* gradle.properties* gradlew ./
COPY gradle/ gradle/
RUN chmod +x gradlew && ./gradlew dependencies --no-daemon
COPY . .
RUN chmod +x gradlew && ./gradlew bootJar --no-daemon
