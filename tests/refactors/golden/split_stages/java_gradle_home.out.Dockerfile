# The gradle image works in /home/gradle: that is where COPY . . puts the project.
FROM gradle:8.7-jdk17 AS builder
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon

FROM eclipse-temurin:17-jre
WORKDIR /home/gradle
COPY --from=builder /home/gradle/build/libs/app.jar /home/gradle/app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]
