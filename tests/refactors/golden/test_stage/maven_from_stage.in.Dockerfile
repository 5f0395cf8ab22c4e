FROM maven:3-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B package
FROM build
CMD ["java", "-jar", "target/app.jar"]
