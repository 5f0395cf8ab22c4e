FROM eclipse-temurin:17-jdk AS builder

WORKDIR /app
COPY src ./src
RUN javac -d classes src/com/example/WordCount.java

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=builder /app/classes /app/classes

CMD ["java", "-cp", "classes", "com.example.WordCount"]
