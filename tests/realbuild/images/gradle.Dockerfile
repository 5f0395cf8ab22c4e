# Stand-in for gradle:<v>-jdk<jdk> (gradle/docker-gradle): Gradle on eclipse-temurin's JDK, GRADLE_HOME
# /opt/gradle, a `gradle` user and group 1000 with /home/gradle/.gradle (root's ~/.gradle links to it),
# that folder a VOLUME, WORKDIR /home/gradle, root, CMD gradle. Debian bookworm's Gradle is 4.4.1
# (patched by Debian to run on its JDK 17): a tag names the family, so a sample's build.gradle keeps to
# what 4.4 and the 7/8 lines both read (the plugins {} block, core plugins, jar manifest attributes).
FROM eclipse-temurin:17-jdk
RUN apt-get update && apt-get install -y --no-install-recommends gradle git \
 && rm -rf /var/lib/apt/lists/* \
 && ln -s /usr/share/gradle /opt/gradle \
 && groupadd --system --gid 1000 gradle \
 && useradd --system --gid gradle --uid 1000 --shell /bin/bash --create-home gradle \
 && mkdir /home/gradle/.gradle && chown -R gradle:gradle /home/gradle && chmod -R o+rwx /home/gradle \
 && ln -s /home/gradle/.gradle /root/.gradle
ENV GRADLE_HOME=/opt/gradle
VOLUME /home/gradle/.gradle
WORKDIR /home/gradle
CMD ["gradle"]
