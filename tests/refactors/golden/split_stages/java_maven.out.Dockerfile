FROM maven:3.9.6-eclipse-temurin-17 AS builder
WORKDIR /build
COPY pom.xml .
RUN mvn -B dependency:go-offline
COPY src ./src
RUN mvn -B package -DskipTests

FROM eclipse-temurin:17-jre
WORKDIR /build
COPY --from=builder /build/target/demo-0.0.1-SNAPSHOT.jar /build/app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "app.jar"]
