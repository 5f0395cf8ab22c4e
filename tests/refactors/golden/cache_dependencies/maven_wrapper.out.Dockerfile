FROM eclipse-temurin:21-jdk AS build
WORKDIR /workspace
COPY pom.xml mvnw ./
COPY .mvn/ .mvn/
RUN ./mvnw -B -DskipTests dependency:go-offline
COPY . .
RUN ./mvnw -B -DskipTests package

FROM eclipse-temurin:21-jre
COPY --from=build /workspace/target/app.jar /app.jar
ENTRYPOINT ["java", "-jar", "/app.jar"]
