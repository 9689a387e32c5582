#!/usr/bin/env bash
# Managed-applications benchmark of the built distribution (not a test): sensor writes, deploys, the hot copy, a
# takeover with 10,000 entities, store requests of a hot standby, memory and CPU. Writes its table into
# BENCHMARKS.md between the markers "<!-- apps-bench -->" and "<!-- /apps-bench -->" (added at the end the first
# time; the other sections stay) and prints it.
#
#   bench/apps-bench.sh            # after 'mvn -B install -DskipTests' (it builds nothing itself)
#
# Settings (environment): DURATION (s per wrk run, default 20), SAMPLES (deploys and hot-copy lag samples, default
# 50), APPS (applications of 10 entities for the takeover figures, default 1000), IDLE (s over which store requests
# and CPU are counted, default 30), PORT (first HTTP port, default 18801; node i uses PORT+10*i .. +3),
# S3PROXY_JAR (S3Proxy 2.6.0's jar-with-dependencies; default: looked up in M2_REPO, default ~/.m2/repository; the
# S3Proxy figures are skipped with a note if it is missing). Needs curl, jq and wrk (Debian packages).
#
# Nodes share a store with brooklyn.ha.pollPeriod = 1s (persistPeriod 1s, the default: a hot copy reads the journal's
# tail every second) and brooklyn.ha.heartbeatTimeout = HEARTBEAT_TIMEOUT (default 30s, the product's default: no
# figure here waits for it, and at 3 s a master on a machine loaded by other builds lost its lease every few seconds). Everything runs on 127.0.0.1 from target/apps-bench;
# every node and S3Proxy are stopped at the end.
#   writes         bench/WriteLoad.java: N closed-loop clients, each on its own keep-alive connection, POST
#                  …/sensors/bench.value (a JSON integer) on the master; "acknowledged" = 2xx answers. Not wrk: on this
#                  2-core VM wrk's p99 at 1 client (48 ms) disagreed with a Java and a Python client measuring the same
#                  node at the same time (10 and 9-12 ms). Each client speaks HTTP/1.1 on a blocking socket: the
#                  JDK's HttpClient, used until 2026-11-30, took about a core of the 2 for ~1,000 writes/s
#   deploy         curl's time_total of POST /v1/applications (3 entities, YAML), one at a time
#   hot copy lag   from the 204 of a sensor write on the master to the first GET on the hot standby that shows it
#                  (the standby is asked every ~10 ms)
#   takeover       bin/stop of the master; the time from the standby's first "MASTER" answer to its first
#                  accepted sensor write (204), for a HOT_STANDBY (tails the journal) and a STANDBY
#                  (highAvailabilityMode = STANDBY: loads snapshot + journal when it becomes master)
#   store requests the hot standby's /v1/server/ha/metrics storeRequests, summed over kinds, per pollPeriod
set -euo pipefail

DURATION=${DURATION:-20}
SAMPLES=${SAMPLES:-50}
APPS=${APPS:-1000}
IDLE=${IDLE:-30}
PORT=${PORT:-18801}
HEARTBEAT_TIMEOUT=${HEARTBEAT_TIMEOUT:-30s}
for v in DURATION SAMPLES APPS IDLE PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "$v='${!v}' is not valid; accepted: a whole number" >&2; exit 2; }
done
top=$(cd "$(dirname "$0")/.." && pwd)
archive=$(ls "$top"/distribution/target/tandem-*.tar.gz 2>/dev/null | head -n 1 || true)
[ -n "$archive" ] || { echo "No distribution built: run 'mvn -B install -DskipTests' first." >&2; exit 1; }
for c in curl jq wrk; do command -v $c >/dev/null || { echo "$c is needed (Debian package $c)" >&2; exit 1; }; done
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
S3PROXY_JAR=${S3PROXY_JAR:-${M2_REPO:-$HOME/.m2/repository}/org/gaul/s3proxy/2.6.0/s3proxy-2.6.0-jar-with-dependencies.jar}

work="$top/target/apps-bench"
[ -x "$JAVA_HOME/bin/javac" ] || { echo "a JDK is needed (javac, for bench/*.java): set JAVA_HOME" >&2; exit 1; }
password=$(head -c 18 /dev/urandom | base64 | tr -d '+/=' | head -c 20)
auth="bench:$password"
b64=$(printf '%s' "$auth" | base64 -w0)
hz=$(getconf CLK_TCK)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
. "$(dirname "$0")/steal.sh"
steal_before=$(steal_mark)
s3_pid=""

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
port_of() { echo $(( PORT + 10 * $1 )); }
home_of() { echo "$work/n$1"; }
url() { echo "http://127.0.0.1:$(port_of "$1")$2"; }
state() { curl -s -m 1 -u "$auth" "$(url "$1" /v1/server/ha/state)" 2>/dev/null | tr -d '"' || true; }
pid_of() { local p; p=$(cat "$(home_of "$1")/karaf.pid" 2>/dev/null || true); [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"; }
rss_mb() { echo $(( $(ps -o rss= -p "$1" | tr -d ' ') / 1024 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
set_key() { if grep -qE "^#? *$2 *=" "$1"; then sed -i -E "s|^#? *$2 *=.*|$2 = $3|" "$1"; else echo "$2 = $3" >> "$1"; fi; }
post_sensor() { # node app entity sensor value -> HTTP code
  curl -s -m 2 -o /dev/null -w '%{http_code}' -u "$auth" -H 'Content-Type: application/json' -X POST -d "$5" \
    "$(url "$1" "/v1/applications/$2/entities/$3/sensors/$4")" 2>/dev/null || true
}
deploy() { # node yaml-file -> app id (from Location); retried for up to 120 s (a new master answers 503 a moment)
  local id="" deadline=$(( $(date +%s) + 120 ))
  while [ -z "$id" ] && [ "$(date +%s)" -lt "$deadline" ]; do
    id=$(curl -s -m 30 -D - -o /dev/null -u "$auth" -H 'Content-Type: application/x-yaml' --data-binary "@$2" \
      "$(url "$1" /v1/applications)" | tr -d '\r' | awk 'tolower($1) == "location:" { n = split($2, p, "/"); print p[n] }' || true)
    [ -n "$id" ] || sleep 0.5
  done
  [ -n "$id" ] || { echo "n$1 did not deploy $2 within 120 s" >&2; return 1; }
  echo "$id"
}
first_entity() { # node app -> id of its first child
  curl -s -m 5 -u "$auth" "$(url "$1" "/v1/applications/$2/entities")" | jq -r 'if type == "array" then .[0].id else error(tostring) end'
}
store_requests() { curl -s -m 5 -u "$auth" "$(url "$1" /v1/server/ha/metrics)" | jq '[.storeRequests[]] | add'; }
store_kinds() { curl -s -m 5 -u "$auth" "$(url "$1" /v1/server/ha/metrics)" | jq -c '.storeRequests'; }
pct() { # percentile values... (nearest rank)
  local p=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v p="$p" '{a[NR] = $1} END { if (NR == 0) { print "-"; exit } i = int(p / 100 * NR + 0.999999); if (i < 1) i = 1; print a[i] }'
}

unpack() { # i store(folder|s3) [mode]
  local home; home=$(home_of "$1"); local p; p=$(port_of "$1")
  rm -rf "$home" && mkdir -p "$home"
  tar -xzf "$archive" -C "$home" --strip-components=1
  set_key "$home/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$p"
  set_key "$home/etc/org.ops4j.pax.web.cfg" org.ops4j.pax.web.listening.addresses 127.0.0.1
  set_key "$home/etc/org.apache.karaf.shell.cfg" sshPort $((p + 1))
  set_key "$home/etc/org.apache.karaf.management.cfg" rmiRegistryPort $((p + 2))
  set_key "$home/etc/org.apache.karaf.management.cfg" rmiServerPort $((p + 3))
  set_key "$home/etc/brooklyn.cfg" brooklyn.ha.heartbeatTimeout "$HEARTBEAT_TIMEOUT"
  set_key "$home/etc/brooklyn.cfg" brooklyn.ha.pollPeriod 1s
  if [ "$2" = s3 ]; then
    set_key "$home/etc/brooklyn.cfg" brooklyn.location.named.bench-s3 "jclouds:s3:http://127.0.0.1:$s3_port"
    set_key "$home/etc/brooklyn.cfg" brooklyn.location.named.bench-s3.identity bench-identity
    set_key "$home/etc/brooklyn.cfg" brooklyn.location.named.bench-s3.credential bench-credential
    set_key "$home/etc/brooklyn.cfg" brooklyn.location.named.bench-s3.jclouds.s3.virtual-host-buckets false
    set_key "$home/etc/brooklyn.cfg" tandem.store.maxWriteLatency 250ms
    set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" persistenceLocation bench-s3
    set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" persistenceDir tandem-bench/plane
  else
    set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" persistenceDir "$work/store"
  fi
  [ -n "${3:-}" ] && set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" highAvailabilityMode "$3"
  sed -i -E "s|^karaf.name *=.*|karaf.name = n$1|" "$home/etc/system.properties"
  echo "bench = $password,_g_:admingroup" >> "$home/etc/users.properties"
}
start() { KARAF_REDIRECT="$(home_of "$1")/console.log" "$(home_of "$1")/bin/start" >/dev/null; }
stop() { "$(home_of "$1")/bin/stop" >/dev/null; }
await_state() { # state i timeout_s
  local deadline=$(( $(date +%s) + $3 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do [ "$(state "$2")" = "$1" ] && return 0; sleep 0.1; done
  echo "n$2 not $1 after $3 s; see $(home_of "$2")/data/log/karaf.log" >&2; return 1
}
await_write() { # i app entity timeout_s: until a sensor write is accepted
  local deadline=$(( $(date +%s) + $4 ))
  while [ "$(date +%s)" -lt "$deadline" ]; do [ "$(post_sensor "$1" "$2" "$3" bench.ready 1)" = 204 ] && return 0; sleep 0.05; done
  echo "n$2 accepted no write after $4 s" >&2; return 1
}
cleanup() {
  for i in 1 2 3 4; do
    local p; p=$(pid_of "$i" || true)
    if [ -n "$p" ]; then "$(home_of "$i")/bin/stop" >/dev/null 2>&1 || kill -9 "$p" 2>/dev/null || true; fi
  done
  [ -n "$s3_pid" ] && kill "$s3_pid" 2>/dev/null || true
}
trap cleanup EXIT

rm -rf "$work" && mkdir -p "$work/classes"
"$JAVA_HOME/bin/javac" -nowarn -d "$work/classes" "$top"/bench/*.java # the HTTP clients: WriteLoad (and Probe)
printf 'name: bench-app\nservices:\n- type: org.apache.brooklyn.entity.stock.BasicEntity\n  name: e1\n- type: org.apache.brooklyn.entity.stock.BasicStartable\n  name: s1\n' > "$work/three.yaml"
{ printf 'name: bench-ten\nservices:\n'; for k in 1 2 3 4 5 6 7 8 9; do printf -- '- type: org.apache.brooklyn.entity.stock.BasicEntity\n  name: e%d\n' "$k"; done; } > "$work/ten.yaml"
cat > "$work/post.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local n = 0
request = function() n = n + 1; return wrk.format(nil, nil, nil, tostring(n)) end
EOF
cat > "$work/paced.lua" <<'EOF'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = "1"
delay = function() return 20 end
EOF

# writes: wrk at 1 and 16 connections on node $1's entity; prints "acked/s p50 p99 non2xx"
writes() { # node clients: prints "writes/s p50 p99 non-2xx" (bench/WriteLoad.java: 5 s unmeasured, then DURATION s)
  "$JAVA_HOME/bin/java" -Xmx256m -cp "$work/classes" WriteLoad \
    "$(url "$1" "/v1/applications/$app/entities/$entity/sensors/bench.value")" "$auth" "$2" 5 "$DURATION"
}
deploys() { # node: SAMPLES deploys one at a time; prints "p50 p99" in ms
  local t=() i
  for i in $(seq 1 "$SAMPLES"); do
    t+=("$(curl -s -m 30 -o /dev/null -w '%{time_total}' -u "$auth" -H 'Content-Type: application/x-yaml' \
      --data-binary "@$work/three.yaml" "$(url "$1" /v1/applications)" | awk '{ printf "%.1f", $1 * 1000 }')")
  done
  echo "$(pct 50 "${t[@]}") $(pct 99 "${t[@]}")"
}

echo "== folder store: n1 MASTER, n2 HOT_STANDBY"
unpack 1 folder; unpack 2 folder
start 1; await_state MASTER 1 600
start 2; await_state HOT_STANDBY 2 600
app=$(deploy 1 "$work/three.yaml"); entity=$(first_entity 1 "$app")
await_write 1 "$app" "$entity" 60
wrk -t1 -c1 -d5s -s "$work/post.lua" -H "Authorization: Basic $b64" \
  "$(url 1 "/v1/applications/$app/entities/$entity/sensors/bench.value")" >/dev/null # warm-up
read -r f_rate1 f_p50_1 f_p99_1 f_bad1 < <(writes 1 1); echo "  writes c1: $f_rate1/s p50 $f_p50_1 p99 $f_p99_1 ms (non-2xx $f_bad1)"
read -r f_rate16 f_p50_16 f_p99_16 f_bad16 < <(writes 1 16); echo "  writes c16: $f_rate16/s p50 $f_p50_16 p99 $f_p99_16 ms (non-2xx $f_bad16)"
read -r f_dep50 f_dep99 < <(deploys 1); echo "  deploy p50 $f_dep50 ms, p99 $f_dep99 ms"

lags=()
for i in $(seq 1 "$SAMPLES"); do
  [ "$(post_sensor 1 "$app" "$entity" bench.lag "$i")" = 204 ] || { echo "write $i refused" >&2; exit 1; }
  t0=$(now_ms)
  until [ "$(curl -s -m 1 -u "$auth" "$(url 2 "/v1/applications/$app/entities/$entity/sensors/bench.lag")")" = "$i" ]; do
    [ $(( $(now_ms) - t0 )) -lt 10000 ] || { echo "hot copy did not show write $i in 10 s" >&2; exit 1; }
    sleep 0.01
  done
  lags+=($(( $(now_ms) - t0 )))
  sleep 0.$(( RANDOM % 10 )) # spread the writes over the tail period
done
lag50=$(pct 50 "${lags[@]}"); lag99=$(pct 99 "${lags[@]}"); echo "  hot copy lag p50 $lag50 ms, p99 $lag99 ms"

p2=$(pid_of 2)
r0=$(store_requests 2); c0=$(cpu_ticks "$p2"); t0=$(now_ms); k0=$(store_kinds 2)
sleep "$IDLE"
r1=$(store_requests 2); c1=$(cpu_ticks "$p2"); t1=$(now_ms); k1=$(store_kinds 2)
idle_per_poll=$(awk -v a="$r0" -v b="$r1" -v ms=$(( t1 - t0 )) 'BEGIN { printf "%.2f", (b - a) / (ms / 1000) }')
idle_cpu_small=$(awk -v t=$(( c1 - c0 )) -v hz="$hz" -v ms=$(( t1 - t0 )) 'BEGIN { printf "%.2f", 100 * t / hz / (ms / 1000) }')
echo "  hot standby idle: $idle_per_poll store requests per poll ($k0 -> $k1), CPU $idle_cpu_small %"
wrk -t1 -c2 -d"$(( IDLE + 4 ))s" -s "$work/paced.lua" -H "Authorization: Basic $b64" \
  "$(url 1 "/v1/applications/$app/entities/$entity/sensors/bench.paced")" > "$work/paced.out" &
wrk_pid=$!
sleep 2
r0=$(store_requests 2); t0=$(now_ms); k0=$(store_kinds 2)
sleep "$IDLE"
r1=$(store_requests 2); t1=$(now_ms); k1=$(store_kinds 2)
wait "$wrk_pid"
paced_rate=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$work/paced.out")
busy_per_poll=$(awk -v a="$r0" -v b="$r1" -v ms=$(( t1 - t0 )) 'BEGIN { printf "%.2f", (b - a) / (ms / 1000) }')
echo "  hot standby at $paced_rate writes/s: $busy_per_poll store requests per poll ($k0 -> $k1)"

echo "== $APPS applications of 10 entities"
t0=$(now_ms)
seq 1 "$APPS" | xargs -P 4 -I{} curl -s -m 60 -o /dev/null -w '%{http_code}\n' -u "$auth" \
  -H 'Content-Type: application/x-yaml' --data-binary "@$work/ten.yaml" "$(url 1 /v1/applications)" > "$work/big-deploy.codes"
big_ms=$(( $(now_ms) - t0 ))
big_ok=$(grep -c '^201$' "$work/big-deploy.codes" || true)
entities=$(( big_ok * 10 + (SAMPLES + 1) * 3 ))
echo "  $big_ok of $APPS deployed (201) in $big_ms ms; about $entities entities"
count_on() { curl -s -m 10 -u "$auth" "$(url "$1" /v1/applications)" | jq length; }
until [ "$(count_on 2)" = "$(count_on 1)" ]; do sleep 0.2; done
p1=$(pid_of 1); p2=$(pid_of 2)
c0=$(cpu_ticks "$p2"); t0=$(now_ms); r0=$(store_requests 2)
sleep "$IDLE"
c1=$(cpu_ticks "$p2"); t1=$(now_ms); r1=$(store_requests 2)
idle_cpu=$(awk -v t=$(( c1 - c0 )) -v hz="$hz" -v ms=$(( t1 - t0 )) 'BEGIN { printf "%.2f", 100 * t / hz / (ms / 1000) }')
idle_big_per_poll=$(awk -v a="$r0" -v b="$r1" -v ms=$(( t1 - t0 )) 'BEGIN { printf "%.2f", (b - a) / (ms / 1000) }')
rss_master=$(rss_mb "$p1"); rss_hot=$(rss_mb "$p2")
heap() { # MB in use in the generations (young + old; not metaspace)
  jcmd "$1" GC.heap_info 2>/dev/null | awk '/generation|G1 Heap|garbage-first heap/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); s += v; break } }
    END { printf "%d MB", s / 1024 }'
}
heap_master=$(heap "$p1"); heap_hot=$(heap "$p2")
xmx=$(tr '\0' ' ' < "/proc/$p1/cmdline" | grep -o -- '-Xmx[^ ]*' | tail -n 1)
echo "  RSS master $rss_master MB (heap used $heap_master), hot standby $rss_hot MB (heap used $heap_hot); $xmx"
echo "  hot standby idle with $entities entities: CPU $idle_cpu %, $idle_big_per_poll store requests per poll"

takeover() { # old new: bin/stop old; prints "ms from bin/stop to MASTER, ms from MASTER to the first accepted write"
  local t0 m=0 w=0 s c
  t0=$(now_ms)
  ( stop "$1" ) & local stopper=$!
  while [ $(( $(now_ms) - t0 )) -lt 120000 ]; do
    if [ "$m" = 0 ]; then s=$(state "$2"); [ "$s" = MASTER ] && m=$(now_ms); fi
    c=$(post_sensor "$2" "$app" "$entity" bench.takeover "$t0")
    if [ "$c" = 204 ]; then w=$(now_ms); [ "$m" = 0 ] && m=$w; break; fi
    sleep 0.01
  done
  wait "$stopper"
  [ "$w" != 0 ] || { echo "n$2 accepted no write within 120 s" >&2; echo "- -"; return; }
  echo "$(( m - t0 )) $(( w - m ))"
}
echo "== takeover with $entities entities: bin/stop n1, hot standby n2"
read -r hot_master hot_write < <(takeover 1 2); echo "  n2 MASTER +$hot_master ms, first write +$hot_write ms after that"
unpack 3 folder STANDBY; start 3; await_state STANDBY 3 600
echo "== bin/stop n2, STANDBY n3 (full load)"
read -r cold_master cold_write < <(takeover 2 3); echo "  n3 MASTER +$cold_master ms, first write +$cold_write ms after that"
stop 3

s3_note="S3Proxy jar not found at $S3PROXY_JAR: S3Proxy figures not measured"
s_rate1="-"; s_p50_1="-"; s_p99_1="-"; s_rate16="-"; s_p50_16="-"; s_p99_16="-"; s_dep50="-"; s_dep99="-"; s_bad1=0; s_bad16=0
if [ -f "$S3PROXY_JAR" ]; then
  echo "== S3Proxy: n4 MASTER"
  s3_port=$(( PORT + 90 ))
  printf '%s\n' "s3proxy.endpoint=http://127.0.0.1:$s3_port" s3proxy.authorization=aws-v2-or-v4 \
    s3proxy.identity=bench-identity s3proxy.credential=bench-credential jclouds.provider=transient \
    jclouds.identity=ignored jclouds.credential=ignored > "$work/s3proxy.conf"
  "$JAVA_HOME/bin/java" -Xmx384m -XX:+UseSerialGC -jar "$S3PROXY_JAR" --properties "$work/s3proxy.conf" > "$work/s3proxy.log" 2>&1 &
  s3_pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$s3_port/"; do sleep 0.2; done
  unpack 4 s3; start 4; await_state MASTER 4 600
  app=$(deploy 4 "$work/three.yaml"); entity=$(first_entity 4 "$app")
  await_write 4 "$app" "$entity" 60
  wrk -t1 -c1 -d5s -s "$work/post.lua" -H "Authorization: Basic $b64" \
    "$(url 4 "/v1/applications/$app/entities/$entity/sensors/bench.value")" >/dev/null # warm-up
  read -r s_rate1 s_p50_1 s_p99_1 s_bad1 < <(writes 4 1); echo "  writes c1: $s_rate1/s p50 $s_p50_1 p99 $s_p99_1 ms"
  read -r s_rate16 s_p50_16 s_p99_16 s_bad16 < <(writes 4 16); echo "  writes c16: $s_rate16/s p50 $s_p50_16 p99 $s_p99_16 ms"
  read -r s_dep50 s_dep99 < <(deploys 4); echo "  deploy p50 $s_dep50 ms, p99 $s_dep99 ms"
  s3_note="S3Proxy 2.6.0 (in-memory backend) on 127.0.0.1, the timed claim's W = 250 ms; one node (n4)"
fi
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
steal=$(steal_since "$steal_before")

met() { awk -v v="$1" -v lim="$2" 'BEGIN { if (v == "-") print "not measured"; else if (v + 0 <= lim + 0) print "met"; else print "**not met**" }'; }
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
section=$(cat <<EOF
<!-- apps-bench -->
# Managed applications benchmarks

Written by \`bench/apps-bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') (commit $commit plus the working tree), on the built
distribution with its default JVM options (\`bin/setenv\`, $xmx). Nodes on 127.0.0.1, heartbeatTimeout $HEARTBEAT_TIMEOUT,
pollPeriod 1 s, persistPeriod 1 s. Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -n1).
**Load average (1/5/15 min) before: $load_before; after: $load_after. CPU time stolen by the hypervisor (other
guests of the host) during the runs: $steal %.** A load above ~2 (other processes on this machine) or a steal above a
few per cent means the times below include waiting for a CPU.

| figure | folder store | S3Proxy | goal | |
|---|---|---|---|---|
| acknowledged sensor writes/s, 1 client | $f_rate1 | $s_rate1 | | |
| sensor write p50 / p99, 1 client | $f_p50_1 / $f_p99_1 ms | $s_p50_1 / $s_p99_1 ms | p99 ≤ 20 ms (folder) | $(met "$f_p99_1" 20) |
| acknowledged sensor writes/s, 16 clients | $f_rate16 | $s_rate16 | | |
| sensor write p50 / p99, 16 clients | $f_p50_16 / $f_p99_16 ms | $s_p50_16 / $s_p99_16 ms | p99 ≤ 20 ms (folder) | $(met "$f_p99_16" 20) |
| deploy (3 entities) p50 / p99, $SAMPLES one at a time | $f_dep50 / $f_dep99 ms | $s_dep50 / $s_dep99 ms | ≤ 50 ms | $(met "$f_dep50" 50) (p50, folder) |
| hot copy lag p50 / p99, $SAMPLES writes | $lag50 / $lag99 ms | | p99 ≤ 1 s | $(met "$lag99" 1000) |
| hot standby store requests per poll, idle | $idle_per_poll | | | |
| hot standby store requests per poll, master at $paced_rate writes/s | $busy_per_poll | | | |
| hot standby store requests per poll, idle, $entities entities | $idle_big_per_poll | | | |
| hot standby CPU, idle over ${IDLE} s (small state / $entities entities) | $idle_cpu_small / $idle_cpu % of a core | | ≤ 2 % | $(met "$idle_cpu" 2) |
| RSS master / hot standby, $entities entities | $rss_master / $rss_hot MB | | | |
| heap used master / hot standby, $entities entities (\`jcmd GC.heap_info\`) | $heap_master / $heap_hot | | | |
| deploy of $APPS applications of 10 entities, 4 at a time | $big_ms ms ($big_ok × 201) | | | |
| bin/stop of the master → HOT_STANDBY answers MASTER | $hot_master ms | | | |
| HOT_STANDBY: MASTER → first accepted write ($entities entities) | $hot_write ms | | | |
| bin/stop of the master → STANDBY answers MASTER | $cold_master ms | | | |
| STANDBY: MASTER → first accepted write (full load of $entities entities) | $cold_write ms | | | |

Non-2xx answers of the write runs: folder $f_bad1 / $f_bad16, S3Proxy $s_bad1 / $s_bad16 (1 / 16 clients). Writes:
\`bench/WriteLoad.java\` (closed-loop clients, one keep-alive HTTP/1.1 connection each on a blocking socket), ${DURATION} s measured after 5 s
unmeasured, following a 5 s wrk warm-up; "acknowledged writes/s" counts 2xx answers only. S3Proxy: $s3_note.
Store requests per poll: the hot standby's \`storeRequests\` (all kinds: its HA poll and heartbeat, and the
journal tail) counted over ${IDLE} s, divided by the poll periods in it.
<!-- /apps-bench -->
EOF
)
file="$top/BENCHMARKS.md"
touch "$file"
if grep -q '^<!-- apps-bench -->$' "$file"; then
  awk -v s="$section" '/^<!-- apps-bench -->$/ { print s; skip = 1; next } /^<!-- \/apps-bench -->$/ { skip = 0; next } !skip' "$file" > "$file.new"
else
  { cat "$file"; echo; echo "$section"; } > "$file.new"
fi
mv "$file.new" "$file"
echo "$section"
