#!/usr/bin/env bash
# Starts one Tandem node from the built distribution, on the embedded folder store.
#
#   scripts/run-node.sh [NAME] [HTTP_PORT]
#
# NAME (default node1) gets its own Karaf under target/nodes/NAME; HTTP_PORT defaults to 8081 and the
# node's ssh and JMX ports are shifted by the same offset, so that several nodes run on one machine.
# Every node started by this script uses the same store folder, target/nodes/shared-store (override with
# TANDEM_STORE=/some/folder), so the second one joins the first one's plane.
# On first start an admin user with a random password is written to the node's etc/users.properties;
# the password is printed and kept in target/nodes/NAME/admin-password.txt.
set -euo pipefail

name=${1:-node1}
port=${2:-8081}
if ! [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]]; then
  echo "NAME '$name' is not valid; accepted: letters, digits, '.', '_' and '-'" >&2; exit 2
fi
if ! [[ "$port" =~ ^[0-9]+$ ]] || (( port < 1024 || port > 65000 )); then
  echo "HTTP_PORT '$port' is not valid; accepted: a number from 1024 to 65000" >&2; exit 2
fi
top=$(cd "$(dirname "$0")/.." && pwd)
archive=$(ls "$top"/distribution/target/tandem-*.tar.gz 2>/dev/null | head -n 1 || true)
if [ -z "$archive" ]; then
  echo "No distribution built yet: run 'mvn -B install -DskipTests' first." >&2; exit 1
fi
nodes="$top/target/nodes"
home="$nodes/$name"
store=${TANDEM_STORE:-$nodes/shared-store}
offset=$(( port - 8081 ))

if [ ! -d "$home" ]; then
  mkdir -p "$home"
  tar -xzf "$archive" -C "$home" --strip-components=1
  set_key() { # file key value: replace "key = ..." (commented or not) or append it
    if grep -qE "^#? *$2 *=" "$1"; then sed -i -E "s|^#? *$2 *=.*|$2 = $3|" "$1"; else echo "$2 = $3" >> "$1"; fi
  }
  set_key "$home/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$port"
  set_key "$home/etc/org.apache.karaf.shell.cfg" sshPort $(( 8101 + offset ))
  set_key "$home/etc/org.apache.karaf.management.cfg" rmiRegistryPort $(( 1099 + offset ))
  set_key "$home/etc/org.apache.karaf.management.cfg" rmiServerPort $(( 44444 + offset ))
  set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" persistenceDir "$store"
  sed -i -E "s|^karaf.name *=.*|karaf.name = $name|" "$home/etc/system.properties"
  password=$(head -c 18 /dev/urandom | base64 | tr -d '+/=' | head -c 20)
  echo "admin = $password,_g_:admingroup" >> "$home/etc/users.properties"
  (umask 077 && echo "$password" > "$home/admin-password.txt")
  echo "Created $home (HTTP $port, store $store); user 'admin', password in $home/admin-password.txt"
fi
password=$(cat "$home/admin-password.txt")

if [ -f "$home/karaf.pid" ] && kill -0 "$(cat "$home/karaf.pid")" 2>/dev/null; then
  echo "$name is already running (pid $(cat "$home/karaf.pid"))."
else
  KARAF_REDIRECT="$home/data/console.log" "$home/bin/start"
fi

url="http://127.0.0.1:$port/v1/server/ha/state"
for _ in $(seq 1 120); do
  if state=$(curl -fsS -u "admin:$password" "$url" 2>/dev/null); then
    echo "$name is up: $state"
    echo "  curl -u admin:$password $url"
    echo "  console: http://127.0.0.1:$port/   stop: $home/bin/stop   log: $home/data/log/karaf.log"
    exit 0
  fi
  sleep 1
done
echo "$name did not answer on $url within 120 s; see $home/data/log/karaf.log" >&2
exit 1
