#!/usr/bin/env bash
# Build step (distribution, prepare-package): start the assembled distribution once, in a copy, and keep the class
# data archive that its JVM writes as it exits (bin/setenv, "Class data sharing") in lib/cds/ of the assembly. The
# first start of an unpack then maps its classes from that archive instead of loading them from the bundles.
#
#   train-cds.sh ASSEMBLY_DIR WORK_DIR
#
# The copy runs alone on loopback ports that were free, with a store of its own under WORK_DIR; it is started with
# bin/start, left until the node is MASTER and the bundles after the boot gate (ssh, shell) have started, and
# stopped with bin/stop. Any failure fails the build, with the end of the copy's log.
set -euo pipefail

assembly=$(cd "$1" && pwd)
work=$2
home="$work/tandem"
log="$home/data/log/karaf.log"
timeout_s=${TANDEM_CDS_TRAIN_TIMEOUT:-180}

fail() {
  echo "train-cds: $*" >&2
  [ -f "$log" ] && { echo "--- last lines of $log:" >&2; tail -n 40 "$log" >&2; }
  [ -f "$work/console.log" ] && { echo "--- $work/console.log:" >&2; tail -n 20 "$work/console.log" >&2; }
  exit 1
}

# the copy's JVM, found by its -Dkaraf.base (also when bin/start failed before karaf.pid was written)
node_pids() {
  pgrep -f -- "-Dkaraf.base=$home " 2>/dev/null || true
}
cleanup() {
  for p in $(node_pids); do
    kill -9 "$p" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cleanup # a copy left running by an interrupted build
rm -rf "$work"
mkdir -p "$work/store"
cp -a "$assembly" "$home" # -a keeps the jars' modification times, which the archive records
rm -rf "$home/lib/cds" "$home/data"
chmod +x "$home"/bin/* # the assembly's scripts get their modes only in the archive

used_ports=" "
port=
free_port() { # sets port to a loopback port nothing listens on, and not handed out before
  local p
  for _ in $(seq 1 200); do
    p=$((20000 + RANDOM % 40000))
    case "$used_ports" in *" $p "*) continue ;; esac
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      used_ports="$used_ports$p "
      port=$p
      return 0
    fi
  done
  fail "no free loopback port found"
}

set_key() { # file key value: replaces the key's line (commented out or not), or appends one
  if grep -qE "^#? *$2 *=" "$1"; then
    sed -i -E "s|^#? *$2 *=.*|$2 = $3|" "$1"
  else
    echo "$2 = $3" >> "$1"
  fi
  grep -qxF "$2 = $3" "$1" || fail "could not set $2 in $1 (GNU sed is needed)"
}

free_port; http=$port; free_port; ssh=$port; free_port; rmi_registry=$port; free_port; rmi_server=$port
set_key "$home/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$http"
set_key "$home/etc/org.ops4j.pax.web.cfg" org.ops4j.pax.web.listening.addresses 127.0.0.1
set_key "$home/etc/org.apache.karaf.shell.cfg" sshPort "$ssh"
set_key "$home/etc/org.apache.karaf.shell.cfg" sshHost 127.0.0.1
set_key "$home/etc/org.apache.karaf.management.cfg" rmiRegistryPort "$rmi_registry"
set_key "$home/etc/org.apache.karaf.management.cfg" rmiServerPort "$rmi_server"
set_key "$home/etc/org.apache.karaf.management.cfg" rmiRegistryHost 127.0.0.1
set_key "$home/etc/org.apache.karaf.management.cfg" rmiServerHost 127.0.0.1
set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" persistenceDir "$work/store"

# Nothing of the build's environment: no JVM options, class path or configuration overrides (Karaf reads
# ORG_..._KEY variables as configuration), only the JDK. The archive's key is then that of a plain bin/start.
env -i PATH="$PATH" HOME="$HOME" LANG=C JAVA_HOME="${JAVA_HOME:-}" TANDEM_CDS=on \
    KARAF_REDIRECT="$work/console.log" "$home/bin/start" > "$work/start.log" 2>&1 \
  || fail "bin/start failed: $(cat "$work/start.log")"
deadline=$((SECONDS + timeout_s))
until [ -s "$home/karaf.pid" ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "bin/start wrote no karaf.pid within ${timeout_s}s"
  sleep 0.2
done
pid=$(cat "$home/karaf.pid")
grep -q -- "-XX:ArchiveClassesAtExit=" "/proc/$pid/cmdline" 2>/dev/null || [ ! -d /proc ] \
  || fail "the node's JVM was not asked to write a class data archive (bin/setenv)"

ready() {
  [ -f "$log" ] && grep -q -- "-> MASTER" "$log" \
    && grep -q "Registering commands for bundle org.apache.karaf.shell.ssh" "$log"
}
until ready; do
  kill -0 "$pid" 2>/dev/null || fail "the node's JVM exited before it was MASTER"
  [ "$SECONDS" -lt "$deadline" ] || fail "the node was not MASTER with its shell started within ${timeout_s}s"
  sleep 0.2
done

env -i PATH="$PATH" HOME="$HOME" LANG=C JAVA_HOME="${JAVA_HOME:-}" "$home/bin/stop" > "$work/stop.log" 2>&1 || true
while kill -0 "$pid" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the node's JVM did not exit within ${timeout_s}s of its start: $(cat "$work/stop.log")"
  sleep 0.2
done

shopt -s nullglob
archives=("$home"/data/cds/tandem-*.jsa)
[ "${#archives[@]}" -eq 1 ] || fail "expected one class data archive in $home/data/cds, found ${#archives[@]}"
archive=${archives[0]}
jars=${archive%.jsa}.jars
[ -s "$jars" ] || fail "no list of the class path's jars beside $archive"
[ "$(stat -c %s "$archive")" -gt 1000000 ] || fail "$archive is smaller than 1 MB"

mkdir -p "$assembly/lib/cds"
rm -f "$assembly"/lib/cds/tandem-*
cp "$archive" "$jars" "$assembly/lib/cds/"
echo "train-cds: lib/cds/$(basename "$archive") ($(($(stat -c %s "$archive") / 1048576)) MB) for $(wc -l < "$jars") class path jars"
rm -rf "$work"
