FROM eclipse-temurin:21-jdk-alpine AS builder
WORKDIR /build
COPY src src
RUN javac -d out $(find src -name '*.java') \
    && jar cfe /opt/app.jar com.example.Main -C out .

FROM eclipse-temurin:21-jre-alpine
WORKDIR /build
COPY --from=builder /opt/app.jar /opt/app.jar
EXPOSE 8080
CMD ["java", "-jar", "/opt/app.jar"]
