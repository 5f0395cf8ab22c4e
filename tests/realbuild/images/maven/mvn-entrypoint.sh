#!/bin/sh
# What docker-maven's mvn-entrypoint.sh does before the command: copy the reference files of
# /usr/share/maven/ref (settings-docker.xml, a pre-filled repository) into $MAVEN_CONFIG (/root/.m2),
# never over a file already there, logging to copy_reference_file.log; a user who cannot write there
# gets a one-line notice and the command runs all the same. Then the command becomes the main process.
set -u
log="$MAVEN_CONFIG/copy_reference_file.log"
if mkdir -p "$MAVEN_CONFIG/repository" 2>/dev/null && touch "$log" 2>/dev/null; then
  echo "--- Copying files to $MAVEN_CONFIG at $(date)" >> "$log"
  cp -rnv /usr/share/maven/ref/. "$MAVEN_CONFIG" >> "$log" 2>&1 || true
else
  echo "Can not write to $log. Wrong volume permissions? Carrying on ..."
fi
exec "$@"
