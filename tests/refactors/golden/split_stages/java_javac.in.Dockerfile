FROM eclipse-temurin:17-jdk

WORKDIR /app
COPY src ./src
RUN javac -d classes src/com/example/WordCount.java

CMD ["java", "-cp", "classes", "com.example.WordCount"]
