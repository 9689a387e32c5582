#!/usr/bin/env bash
# REST benchmark of one Tandem node (not a test): wrk with HTTP Basic auth against
#   GET /v1/server/ha/state  and  GET /v1/server/ha/states
# at 1 and 16 connections, then one longer run at 16 connections to watch the node's RSS grow.
# Writes the results to BENCHMARKS.md at the repository root (replacing it) and prints them.
#
#   bench/rest-bench.sh            # after 'mvn -B install -DskipTests' (it builds nothing itself)
#
# Settings (environment): DURATION (s per run, default 30), LONG_DURATION (default 60), PORT (HTTP, default 18481),
# WARMUP (s, default 15), JAVA_HEAP (JVM heap options for the node, e.g. "-Xms1g -Xmx1g"; default: none, i.e. the
# distribution's bin/setenv: -Xms64m -Xmx192m, C1 only). Needs wrk (Debian package; installed with apt-get if missing, as root) and curl.
# Everything runs on 127.0.0.1; the node runs from target/bench/node and is stopped at the end.
set -euo pipefail

DURATION=${DURATION:-30}
LONG_DURATION=${LONG_DURATION:-60}
PORT=${PORT:-18481}
WARMUP=${WARMUP:-15}
JAVA_HEAP=${JAVA_HEAP:-}
top=$(cd "$(dirname "$0")/.." && pwd)
archive=$(ls "$top"/distribution/target/tandem-*.tar.gz 2>/dev/null | head -n 1 || true)
if [ -z "$archive" ]; then
  echo "No distribution built: run 'mvn -B install -DskipTests' first." >&2; exit 1
fi
if ! command -v wrk >/dev/null; then
  echo "wrk is missing: apt-get install -y wrk"
  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }
fi
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }

work="$top/target/bench"
home="$work/node"
rm -rf "$work" && mkdir -p "$home"
tar -xzf "$archive" -C "$home" --strip-components=1
set_key() { # file key value
  if grep -qE "^#? *$2 *=" "$1"; then sed -i -E "s|^#? *$2 *=.*|$2 = $3|" "$1"; else echo "$2 = $3" >> "$1"; fi
}
set_key "$home/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$PORT"
set_key "$home/etc/org.apache.karaf.shell.cfg" sshPort $((PORT + 20))
set_key "$home/etc/org.apache.karaf.management.cfg" rmiRegistryPort $((PORT + 21))
set_key "$home/etc/org.apache.karaf.management.cfg" rmiServerPort $((PORT + 22))
set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" persistenceDir "$work/store"
password=$(head -c 18 /dev/urandom | base64 | tr -d '+/=' | head -c 20)
echo "bench = $password,_g_:viewergroup" >> "$home/etc/users.properties"
auth="Authorization: Basic $(printf 'bench:%s' "$password" | base64 -w0)"
base="http://127.0.0.1:$PORT"

pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    "$home/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT

TANDEM_HEAP="${JAVA_HEAP:-}" KARAF_REDIRECT="$work/console.log" JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")} \
  "$home/bin/start" >/dev/null
for _ in $(seq 1 120); do
  state=$(curl -fsS -H "$auth" "$base/v1/server/ha/state" 2>/dev/null || true)
  [ "$state" = '"MASTER"' ] && break
  sleep 1
done
[ "$state" = '"MASTER"' ] || { echo "node did not become MASTER; see $home/data/log/karaf.log" >&2; exit 1; }
pid=$(pgrep -f -- "-Dkaraf.base=$home " | head -n 1 || true)
[ -n "$pid" ] || pid=$(pgrep -f -- "karaf.base=$home" | head -n 1)
rss() { ps -o rss= -p "$pid" | tr -d ' '; }
# heap in use right after a full GC, in MB: what the node really keeps (a leak makes it grow)
live_heap() { jcmd "$pid" GC.run >/dev/null 2>&1 && jcmd "$pid" GC.heap_info 2>/dev/null | awk '/ heap +total/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); printf "%d", v / 1024 } }'; }
rss_boot=$(rss)
echo "node up (pid $pid, RSS $((rss_boot / 1024)) MB); warming up for ${WARMUP}s"
wrk -t2 -c16 -d"${WARMUP}s" -H "$auth" "$base/v1/server/ha/state" >/dev/null
wrk -t2 -c16 -d"$((WARMUP / 3 + 1))s" -H "$auth" "$base/v1/server/ha/states" >/dev/null

# runs a wrk and prints: requests/s p50(ms) p99(ms) non-2xx errors
measure() { # path connections seconds
  local threads=$(( $2 < 2 ? 1 : 2 ))
  local out
  out=$(wrk -t"$threads" -c"$2" -d"$3s" --latency -H "$auth" "$base$1")
  echo "$out" > "$work/wrk-$(echo "$1" | tr '/' '_')-c$2-$3s.txt"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx or 3xx responses:/ { bad = $5 }
    /Socket errors:/ { err = $0 }
    END { printf "%.0f %.3f %.3f %d\n", rps, p50, p99, bad + 0 }'
}
little() { awk -v c="$1" -v r="$2" 'BEGIN { printf "%.3f", (r > 0 ? 1000 * c / r : 0) }'; } # mean latency, ms

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
rows=()
for path in /v1/server/ha/state /v1/server/ha/states; do
  for c in 1 16; do
    echo "wrk -c$c -d${DURATION}s GET $path"
    read -r rps p50 p99 bad < <(measure "$path" "$c" "$DURATION")
    rows+=("| GET $path | $c | ${DURATION} s | $rps | $p50 | $p99 | $(little "$c" "$rps") | $bad |")
  done
done
rss_before=$(rss)
live_before=$(live_heap || echo "?")
echo "wrk -c16 -d${LONG_DURATION}s GET /v1/server/ha/state (RSS before: $((rss_before / 1024)) MB)"
read -r rps p50 p99 bad < <(measure /v1/server/ha/state 16 "$LONG_DURATION")
rows+=("| GET /v1/server/ha/state | 16 | ${LONG_DURATION} s | $rps | $p50 | $p99 | $(little 16 "$rps") | $bad |")
rss_after=$(rss)
live_after=$(live_heap || echo "?")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# the same request with every login going to the JAAS realm (login cache off), for comparison
echo "authCacheTtl = 0" > "$home/etc/dev.tandem.ha.rest.cfg"
sleep 5 # the component restarts with the new setting
echo "wrk -c16 -d${DURATION}s GET /v1/server/ha/state with the login cache off"
read -r rps p50 p99 bad < <(measure /v1/server/ha/state 16 "$DURATION")
rows+=("| GET /v1/server/ha/state, login cache off (\`authCacheTtl = 0\`) | 16 | ${DURATION} s | $rps | $p50 | $p99 | $(little 16 "$rps") | $bad |")
rm -f "$home/etc/dev.tandem.ha.rest.cfg"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
javav=$(java -version 2>&1 | head -n1)
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
{
  echo "# REST benchmarks"
  echo
  echo "Written by \`bench/rest-bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') (commit $commit plus the working tree)."
  echo "One node of the built distribution (folder store, AUTO mode: MASTER), default settings (login cache 5 s,"
  echo "plane view cache 500 ms). \`wrk --latency\` with HTTP Basic auth (a viewer user), on the same machine as the node."
  echo
  echo "Machine: $(nproc) cores ($cpu), $(free -g | awk '/^Mem:/ {print $2}') GiB; $javav; $(wrk -v 2>&1 | head -n1 | cut -d' ' -f1-2)."
  echo
  echo "Load average (1/5/15 min) before the runs: $load_before; after: $load_after. Anything above ~2 means other"
  echo "processes shared the 2 cores with the node and wrk: latencies then measure the scheduler, not Tandem."
  echo
  echo "| request | connections | duration | requests/s | p50 (ms) | p99 (ms) | mean = conn/rps (ms) | non-2xx |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "RSS of the node's JVM (\`ps -o rss\`): $((rss_boot / 1024)) MB after start; $((rss_before / 1024)) MB before the"
  echo "${LONG_DURATION} s run; $((rss_after / 1024)) MB after it (growth $(((rss_after - rss_before) / 1024)) MB). Heap in use after a full GC"
  echo "(\`jcmd GC.run\`, then \`GC.heap_info\`): $live_before MB before the ${LONG_DURATION} s run, $live_after MB after it."
  echo "JVM heap options: ${JAVA_HEAP:-none (the distribution bin/setenv default: -Xms64m -Xmx192m, SerialGC, C1 only)}."
} > "$top/BENCHMARKS.md.new"
if [ -f "$top/bench/NOTES.md" ]; then
  { echo; cat "$top/bench/NOTES.md"; } >> "$top/BENCHMARKS.md.new"
fi
# keep everything from the first section another script writes (bench/node-bench.sh, bench/apps-bench.sh) to the end
if [ -f "$top/BENCHMARKS.md" ] && grep -qE '^<!-- (node|apps)-bench -->$' "$top/BENCHMARKS.md"; then
  { echo; awk '/^<!-- (node|apps)-bench -->$/ { keep = 1 } keep' "$top/BENCHMARKS.md"; } >> "$top/BENCHMARKS.md.new"
fi
mv "$top/BENCHMARKS.md.new" "$top/BENCHMARKS.md"
cat "$top/BENCHMARKS.md"
