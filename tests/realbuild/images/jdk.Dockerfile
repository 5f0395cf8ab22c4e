# Stand-in for eclipse-temurin:<v>-jdk: a JDK with java/javac on PATH and JAVA_HOME. Debian's is 17.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jdk-headless ca-certificates-java \
 && rm -rf /var/lib/apt/lists/* && ln -s /usr/lib/jvm/java-17-openjdk-amd64 /opt/java-home
ENV JAVA_HOME=/opt/java-home
