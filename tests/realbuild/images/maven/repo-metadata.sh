#!/bin/sh
# Writes the maven-metadata.xml files a remote repository serves and Debian's /usr/share/maven-repo
# lacks, for the two plugin groups Maven searches by prefix: the group's list of goal prefixes
# (`mvn dependency:go-offline` finds maven-dependency-plugin through it) and each plugin's list of
# versions (a plugin named without a version resolves to its release). Only versions that hold a jar
# count: Debian's other version folders are relocation POMs (maven-compiler-plugin 3.1 -> 3.10.1, what
# Maven's default lifecycle bindings ask for) and the `debian` alias.
#
# First, the plugin versions Maven 3.8.7 asks for when a POM names none (its lifecycle bindings and
# the super POM's pluginManagement, read from its own jars) that Debian does not relocate itself
# (maven-site-plugin 3.3): a relocation POM to the version Debian ships, the way Debian's own are
# written. `mvn dependency:go-offline` resolves every one of them.
set -eu
repo=/usr/share/maven-repo
tmp=$(mktemp -d)
(cd "$tmp" && jar xf /usr/share/maven/lib/maven-core-3.x.jar META-INF/plexus \
  && jar xf /usr/share/maven/lib/maven-model-builder-3.x.jar org/apache/maven/model/pom-4.0.0.xml)
{
  grep -oh 'org.apache.maven.plugins:maven-[a-z-]*-plugin:[^:<]*' "$tmp"/META-INF/plexus/*.xml | cut -d: -f2,3
  # A <version> right after an <artifactId> (the super POM's pluginManagement entries).
  awk -F'[<>]' '$2 == "artifactId" { a = $3; next } $2 == "version" && a != "" { print a ":" $3 } { a = "" }' \
    "$tmp/org/apache/maven/model/pom-4.0.0.xml" | grep '^maven-.*-plugin:'
} | sort -u | while IFS=: read -r artifact version; do
  dir="$repo/org/apache/maven/plugins/$artifact"
  [ -d "$dir" ] && [ ! -e "$dir/$version" ] || continue
  shipped=$(for j in "$dir"/*/"$artifact"-*.jar; do [ -f "$j" ] && basename "$(dirname "$j")"; done | grep -v '^debian$' | sort -V | tail -n 1)
  [ -n "$shipped" ] || continue
  mkdir "$dir/$version"
  cat > "$dir/$version/$artifact-$version.pom" <<POM
<project>
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.apache.maven.plugins</groupId>
  <artifactId>$artifact</artifactId>
  <version>$version</version>
  <distributionManagement>
    <relocation><version>$shipped</version></relocation>
  </distributionManagement>
</project>
POM
done
rm -r "$tmp"/META-INF "$tmp"/org

# Then the metadata.
for group in org/apache/maven/plugins org/codehaus/mojo; do
  [ -d "$repo/$group" ] || continue
  groupid=$(echo "$group" | tr / .)
  plugins=""
  for dir in "$repo/$group"/*/; do
    artifact=$(basename "$dir")
    versions=""
    for vdir in "$dir"*/; do
      v=$(basename "$vdir")
      case $v in debian|*.x) continue ;; esac
      [ -f "$vdir$artifact-$v.jar" ] && versions="$versions $v"
    done
    [ -n "$versions" ] || continue
    release=$(printf '%s\n' $versions | sort -V | tail -n 1)
    {
      echo "<metadata><groupId>$groupid</groupId><artifactId>$artifact</artifactId><versioning>"
      echo "<latest>$release</latest><release>$release</release><versions>"
      for v in $(printf '%s\n' $versions | sort -V); do echo "<version>$v</version>"; done
      echo "</versions></versioning></metadata>"
    } > "$dir/maven-metadata.xml"
    # The goal prefix the plugin declares itself (its descriptor), not one guessed from its name.
    (cd "$tmp" && jar xf "$dir$release/$artifact-$release.jar" META-INF/maven/plugin.xml 2>/dev/null) || true
    if [ -f "$tmp/META-INF/maven/plugin.xml" ]; then
      prefix=$(sed -n 's:.*<goalPrefix>\(.*\)</goalPrefix>.*:\1:p' "$tmp/META-INF/maven/plugin.xml" | head -n 1)
      rm -r "$tmp/META-INF"
      [ -n "$prefix" ] && plugins="$plugins<plugin><name>$artifact</name><prefix>$prefix</prefix><artifactId>$artifact</artifactId></plugin>"
    fi
  done
  echo "<metadata><plugins>$plugins</plugins></metadata>" > "$repo/$group/maven-metadata.xml"
done
rm -r "$tmp"
