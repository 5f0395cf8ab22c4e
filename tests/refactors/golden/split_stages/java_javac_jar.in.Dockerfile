FROM eclipse-temurin:21-jdk-alpine
WORKDIR /build
COPY src src
RUN javac -d out $(find src -name '*.java') \
    && jar cfe /opt/app.jar com.example.Main -C out .
EXPOSE 8080
CMD ["java", "-jar", "/opt/app.jar"]
