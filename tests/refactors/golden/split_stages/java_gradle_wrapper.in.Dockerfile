FROM eclipse-temurin:21-jdk
# the port the app listens on
EXPOSE 8080
WORKDIR /workspace
COPY gradlew settings.gradle build.gradle ./
COPY gradle gradle
RUN ./gradlew dependencies --no-daemon
COPY src src
RUN ./gradlew bootJar --no-daemon
CMD java -Xmx512m -jar build/libs/*.jar
