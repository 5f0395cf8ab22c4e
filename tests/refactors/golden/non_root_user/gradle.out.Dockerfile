FROM gradle:8-jdk17
RUN mkdir -p /home/gradle/project && chown gradle:gradle /home/gradle/project
WORKDIR /home/gradle/project
COPY --chown=gradle:gradle . .
USER gradle
RUN gradle build --no-daemon
CMD ["gradle", "run", "--no-daemon"]
