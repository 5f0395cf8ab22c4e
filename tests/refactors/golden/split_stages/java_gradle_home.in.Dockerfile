# The gradle image works in /home/gradle: that is where COPY . . puts the project.
FROM gradle:8.7-jdk17
COPY --chown=gradle:gradle . .
RUN gradle bootJar --no-daemon
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "build/libs/app.jar"]
