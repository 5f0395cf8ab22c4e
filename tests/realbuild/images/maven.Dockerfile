# Stand-in for maven:<v>-eclipse-temurin-<jdk> (carlossg/docker-maven): Maven on eclipse-temurin's JDK,
# MAVEN_HOME=/usr/share/maven, MAVEN_CONFIG=/root/.m2, git and curl, no WORKDIR (/), root, the
# mvn-entrypoint.sh ENTRYPOINT and CMD mvn. Debian bookworm's Maven is 3.8.7 and its JDK 17.
# Maven Central is out of reach: the plugins a build without dependencies needs (clean, resources,
# compiler, surefire, jar, install, deploy, site, and those `mvn dependency:go-offline` resolves: the
# super POM's antrun, assembly, dependency) come from Debian's packages in /usr/share/maven-repo,
# which the global settings name `central` (maven/settings.xml); repo-metadata.sh adds the metadata
# files a remote repository has and Debian's lacks. A project's pom.xml needs no change.
FROM eclipse-temurin:17-jdk
RUN apt-get update && apt-get install -y --no-install-recommends maven git curl \
    libmaven-clean-plugin-java libmaven-resources-plugin-java libmaven-compiler-plugin-java libsurefire-java \
    libmaven-jar-plugin-java libmaven-install-plugin-java libmaven-deploy-plugin-java libmaven-site-plugin-java \
    libmaven-dependency-plugin-java libmaven-antrun-plugin-java libmaven-assembly-plugin-java \
 && rm -rf /var/lib/apt/lists/*
COPY maven/settings.xml /usr/share/maven/conf/settings.xml
COPY maven/settings-docker.xml /usr/share/maven/ref/settings-docker.xml
COPY maven/mvn-entrypoint.sh /usr/local/bin/mvn-entrypoint.sh
COPY maven/repo-metadata.sh /tmp/repo-metadata.sh
RUN sh /tmp/repo-metadata.sh && rm /tmp/repo-metadata.sh && chmod 0755 /usr/local/bin/mvn-entrypoint.sh
ENV MAVEN_HOME=/usr/share/maven MAVEN_CONFIG=/root/.m2
ENTRYPOINT ["/usr/local/bin/mvn-entrypoint.sh"]
CMD ["mvn"]
