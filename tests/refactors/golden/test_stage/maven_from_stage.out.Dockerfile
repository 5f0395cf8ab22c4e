FROM maven:3-eclipse-temurin-21 AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B package
FROM build AS test
RUN ./mvnw -B test

FROM build
CMD ["java", "-jar", "target/app.jar"]
