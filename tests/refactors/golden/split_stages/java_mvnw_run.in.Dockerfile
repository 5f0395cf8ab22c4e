FROM openjdk:17-jdk-slim
WORKDIR /app
COPY .mvn/ .mvn
COPY mvnw pom.xml ./
RUN ./mvnw dependency:resolve
COPY src ./src
RUN ./mvnw package -DskipTests
ENV SPRING_PROFILES_ACTIVE=prod
CMD ["./mvnw", "spring-boot:run"]
