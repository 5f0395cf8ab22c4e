#!/usr/bin/env bash
# Start or stop the Docker engine the real-build verification uses, by its own PID.
#
#   scripts/realbuild/dockerd.sh start   installs docker.io/mmdebstrap/busybox-static on Debian if missing,
#                                        starts dockerd (idempotent); exit 3 with one line where it cannot
#   scripts/realbuild/dockerd.sh stop    stops the dockerd this script started, by its recorded PID
#
# REALBUILD_DIR (default ~/.cache/dockerfile-refactor-ls/realbuild) holds the daemon's data root (images
# are kept between runs), its socket, pidfile and log. Clients use DOCKER_HOST=unix://$REALBUILD_DIR/docker.sock.
#
# Network: this daemon never creates a bridge or any private-range address: "bridge": "none",
# iptables, ip-masq and ip-forward off. Builds use --network=host, containers --network=none. The
# package must not start a daemon of its own on install (that one would create docker0): we make sure a
# policy-rc.d that refuses service starts exists before installing it.
set -euo pipefail

DIR=${REALBUILD_DIR:-$HOME/.cache/dockerfile-refactor-ls/realbuild}
DOCKER=/usr/bin/docker   # Debian's 20.10 client: BuildKit built in. A newer CLI earlier on PATH lacks buildx.
export DOCKER_HOST=unix://$DIR/docker.sock

skip() { echo "verify-builds: skipped: $*"; exit 3; }

install_packages() {
  local need=()
  [ -x /usr/sbin/dockerd ] && [ -x "$DOCKER" ] || need+=(docker.io)
  command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
  [ -x /bin/busybox ] || need+=(busybox-static)
  command -v nsenter >/dev/null || need+=(util-linux)
  command -v curl >/dev/null || need+=(curl)
  [ ${#need[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null && [ -f /etc/debian_version ] \
    || skip "not a Debian system (needs Debian's docker.io and mmdebstrap: ${need[*]})"
  [ "$(id -u)" = 0 ] || skip "installing ${need[*]} needs root"
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# Keeps package installs from starting services (docker.io would create a bridge).\nexit 101\n' \
      > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
  fi
  grep -q 'exit 101' /usr/sbin/policy-rc.d || skip "/usr/sbin/policy-rc.d exists but does not refuse service starts"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null \
    || skip "apt-get install ${need[*]} failed"
}

check_networks() {
  local nets
  nets=$($DOCKER network ls --format '{{.Name}}' | sort | tr '\n' ' ')
  if [ "$nets" != "host none " ]; then
    echo "verify-builds: refusing to go on: docker networks other than host and none exist: $nets" >&2
    stop; exit 1
  fi
}

start() {
  install_packages
  [ "$(id -u)" = 0 ] || skip "dockerd needs root"
  mkdir -p "$DIR/data-root" "$DIR/exec-root"
  if [ -S "$DIR/docker.sock" ] && $DOCKER info >/dev/null 2>&1; then
    check_networks; echo "dockerd already running (pid $(cat "$DIR/dockerd.pid"))"; return 0
  fi
  cat > "$DIR/daemon.json" <<JSON
{
  "bridge": "none",
  "iptables": false,
  "ip6tables": false,
  "ip-masq": false,
  "ip-forward": false,
  "data-root": "$DIR/data-root",
  "exec-root": "$DIR/exec-root",
  "pidfile": "$DIR/dockerd.pid",
  "hosts": ["unix://$DIR/docker.sock"],
  "features": {"buildkit": true}
}
JSON
  # dockerd 20.10 does not know "ip6tables" before 20.10.?; drop it if the daemon refuses the file.
  /usr/sbin/dockerd --validate --config-file "$DIR/daemon.json" >/dev/null 2>&1 \
    || sed -i '/"ip6tables"/d' "$DIR/daemon.json"
  nohup /usr/sbin/dockerd --config-file "$DIR/daemon.json" > "$DIR/dockerd.log" 2>&1 &
  echo $! > "$DIR/dockerd.launch.pid"
  for _ in $(seq 120); do $DOCKER info >/dev/null 2>&1 && break; sleep 0.5; done
  $DOCKER info >/dev/null 2>&1 || { tail -20 "$DIR/dockerd.log" >&2; skip "dockerd did not start (log above)"; }
  check_networks
  echo "dockerd $($DOCKER info --format '{{.ServerVersion}}') started (pid $(cat "$DIR/dockerd.launch.pid")), data in $DIR"
}

stop() {
  local pid
  pid=$(cat "$DIR/dockerd.launch.pid" 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    $DOCKER ps -q 2>/dev/null | xargs -r $DOCKER rm -f >/dev/null 2>&1 || true
    kill -TERM "$pid"
    for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
    echo "dockerd $pid stopped"
  fi
  rm -f "$DIR/dockerd.launch.pid"
  # Mounts the daemon left behind (overlay layers, netns), deepest first.
  awk -v d="$DIR" 'index($2, d) == 1 {print $2}' /proc/mounts | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
