FROM gradle:8-jdk17
WORKDIR /home/gradle/project
COPY . .
RUN gradle build --no-daemon
CMD ["gradle", "run", "--no-daemon"]
