FROM eclipse-temurin:21-jdk AS builder
WORKDIR /workspace
COPY gradlew settings.gradle build.gradle ./
COPY gradle gradle
RUN ./gradlew dependencies --no-daemon
COPY src src
RUN ./gradlew bootJar --no-daemon

FROM eclipse-temurin:21-jre
WORKDIR /workspace
COPY --from=builder /workspace/build/libs/*.jar /workspace/app.jar
# the port the app listens on
EXPOSE 8080
CMD java -Xmx512m -jar app.jar
