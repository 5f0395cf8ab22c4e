# Stand-in for eclipse-temurin:<v>-jre: the Java runtime only.
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jre-headless \
 && rm -rf /var/lib/apt/lists/* && ln -s /usr/lib/jvm/java-17-openjdk-amd64 /opt/java-home
ENV JAVA_HOME=/opt/java-home
