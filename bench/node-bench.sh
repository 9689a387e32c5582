#!/usr/bin/env bash
# Node benchmark of the built distribution (not a test): start, stop, handover, failover, memory and CPU of
# Tandem nodes on loopback, each figure the median of REPEATS runs. Writes the table into BENCHMARKS.md between
# the markers "<!-- node-bench -->" and "<!-- /node-bench -->" (added at the end the first time; the REST section
# written by bench/rest-bench.sh stays) and prints it.
#
#   bench/node-bench.sh            # after 'mvn -B install -DskipTests' (it builds nothing itself)
#
# Settings (environment): REPEATS (default 3), IDLE (s of idle before RSS and CPU are read, default 60),
# WARMUP (s of REST load before the measured run, default 15), DURATION (s of the measured REST run, default 30),
# PORT (first HTTP port, default 18701; each node uses PORT+10*i .. +3, nginx PORT+50). Needs curl, and wrk for the
# REST figures (Debian package wrk: installed when missing if run as root, else skipped with a note). For reference the
# same REST load is also put on a read answered through CXF, the node's own 404 and nginx (the one on the PATH, or
# Debian's package unpacked into target/bench-tools). Nodes run from target/node-bench and are stopped at the end.
#
# Two nodes share a folder store, with brooklyn.ha.heartbeatTimeout = 3s and brooklyn.ha.pollPeriod = 1s.
# Times are taken from just before the command (bin/start, bin/stop, kill -9, the step-down POST) to the first
# answer that shows the result, sampled every 20 ms by bench/Probe.java: one JVM for the whole run, started before
# anything is measured, each wait on a kept-alive connection, so that sampling starts no process while the nodes boot
# or hand over on the same 2 cores (after a handover, MASTER and "write accepted" are two waits at once, each from the
# command on):
#   MASTER                  GET /v1/server/ha/state answers "MASTER"
#   write accepted          POST /v1/server/ha/states/clear answers 200 (master-only: 403 on any other node)
# A node restarted between two runs is the next run's standby once it has fully started: it answers HOT_STANDBY and
# its ssh server, which the distribution starts among the last (after the node's first state), accepts connections.
set -euo pipefail

REPEATS=${REPEATS:-3}
IDLE=${IDLE:-60}
WARMUP=${WARMUP:-15}
DURATION=${DURATION:-30}
PORT=${PORT:-18701}
for v in REPEATS IDLE WARMUP DURATION PORT; do
  [[ "${!v}" =~ ^[0-9]+$ ]] || { echo "$v='${!v}' is not valid; accepted: a whole number" >&2; exit 2; }
done
[ "$PORT" -ge 1 ] && [ "$PORT" -le 65485 ] || { echo "PORT=$PORT is not valid; accepted: 1-65485 (the script uses PORT to PORT+50)" >&2; exit 2; }
top=$(cd "$(dirname "$0")/.." && pwd)
archive=$(ls "$top"/distribution/target/tandem-*.tar.gz 2>/dev/null | head -n 1 || true)
[ -n "$archive" ] || { echo "No distribution built: run 'mvn -B install -DskipTests' first." >&2; exit 1; }
command -v curl >/dev/null || { echo "curl is needed" >&2; exit 1; }
export JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
[ -x "$JAVA_HOME/bin/javac" ] || { echo "a JDK is needed (javac, for bench/*.java): set JAVA_HOME" >&2; exit 1; }

work="$top/target/node-bench"
password=$(head -c 18 /dev/urandom | base64 | tr -d '+/=' | head -c 20)
auth="bench:$password"
hz=$(getconf CLK_TCK)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# this machine's speed at the time (a VM's varies with its host's load): one core hashing 256 MiB, before and after
cpu_ref() { local t0; t0=$(date +%s%N); head -c 268435456 /dev/zero | sha256sum >/dev/null; echo $(( ($(date +%s%N) - t0) / 1000000 )); }
speed_before=$(cpu_ref)
. "$(dirname "$0")/steal.sh"
steal_before=$(steal_mark)

# the script's clock (a bash builtin, no process), in ms since the epoch, as bench/Probe.java's
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $(( t / 1000 )); }
port_of() { echo $(( PORT + 10 * $1 )); }
home_of() { echo "$work/n$1"; }
pid_of() { local p; p=$(cat "$(home_of "$1")/karaf.pid" 2>/dev/null || true); [ -n "$p" ] && kill -0 "$p" 2>/dev/null && echo "$p"; }
rss_mb() { echo $(( $(ps -o rss= -p "$1" | tr -d ' ') / 1024 )); }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

unpack() { # i: a fresh node i on the shared store
  local home; home=$(home_of "$1"); local p; p=$(port_of "$1")
  rm -rf "$home" && mkdir -p "$home"
  tar -xzf "$archive" -C "$home" --strip-components=1
  set_key() { if grep -qE "^#? *$2 *=" "$1"; then sed -i -E "s|^#? *$2 *=.*|$2 = $3|" "$1"; else echo "$2 = $3" >> "$1"; fi; }
  set_key "$home/etc/org.ops4j.pax.web.cfg" org.osgi.service.http.port "$p"
  set_key "$home/etc/org.apache.karaf.shell.cfg" sshPort $((p + 1))
  set_key "$home/etc/org.apache.karaf.management.cfg" rmiRegistryPort $((p + 2))
  set_key "$home/etc/org.apache.karaf.management.cfg" rmiServerPort $((p + 3))
  set_key "$home/etc/org.apache.brooklyn.osgilauncher.cfg" persistenceDir "$work/store"
  set_key "$home/etc/brooklyn.cfg" brooklyn.ha.heartbeatTimeout 3s
  set_key "$home/etc/brooklyn.cfg" brooklyn.ha.pollPeriod 1s
  sed -i -E "s|^karaf.name *=.*|karaf.name = n$1|" "$home/etc/system.properties"
  echo "bench = $password,_g_:admingroup" >> "$home/etc/users.properties"
}
start() { KARAF_REDIRECT="$(home_of "$1")/console.log" "$(home_of "$1")/bin/start" >/dev/null 7>&- 8<&-; } # the JVM keeps no end of the sampler's FIFOs
stop() { "$(home_of "$1")/bin/stop" >/dev/null 7>&- 8<&-; }
# The sampler (bench/Probe.java): one JVM for the whole run, on two FIFOs (file descriptors 7 and 8, which the
# functions below share with their subshells). A request is a line "ID WHAT PORT TIMEOUT_MS SINCE_MS"; its answer, a
# line "ID MS N404" (MS is "timeout" when it did not hold in time). Requests are sent by one flow of the script at a
# time: one wait, or the two of a handover, whose answers it then reads.
probe_start() {
  rm -rf "$work/classes" && mkdir -p "$work/classes"
  "$JAVA_HOME/bin/javac" -nowarn -d "$work/classes" "$top"/bench/*.java
  mkfifo "$work/probe.in" "$work/probe.out"
  "$JAVA_HOME/bin/java" -Xmx32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$work/classes" Probe "$auth" \
    < "$work/probe.in" > "$work/probe.out" 2>> "$work/probe.err" &
  probe_pid=$!
  # read-write, so that a write never kills the script with SIGPIPE if the probe has died: its end shows as the end
  # of probe.out (fd 8), which only the probe writes, and probe_line stops the script with a message
  exec 7<> "$work/probe.in" 8< "$work/probe.out"
  echo "x MASTER $(( PORT + 49 )) 300 $(now_ms)" >&7; probe_line x # a first wait, on a port where nothing listens
}
probe_line() { # expected-ids: reads the next answer into p_id, p_ms, p_n
  read -r -t 900 p_id p_ms p_n <&8 || { echo "the sampler (bench/Probe.java) stopped; see $work/probe.err" >&2; exit 1; }
  case " $1 " in *" $p_id "*) ;; *) echo "the sampler answered '$p_id $p_ms $p_n', expected one of: $1" >&2; exit 1 ;; esac
  [ "$p_ms" != invalid ] || { echo "the sampler refused a request; see $work/probe.err" >&2; exit 1; }
}
await() { # what i timeout_ms [since_ms]: prints ms from since (default: now) until "what" holds on node i
  local since=${4:-$(now_ms)}
  case $1 in
    MASTER|HOT_STANDBY|STANDBY|write)
      echo "a $1 $(port_of "$2") $3 $since" >&7; probe_line a
      [ "$p_n" = 0 ] || echo "$p_n n$2 $1" >> "$work/404.log"
      [ "$p_ms" != timeout ] && { echo "$p_ms"; return 0; } ;;
    booted) # its ssh server (the last to start) accepts connections
      local deadline=$(( $(now_ms) + $3 ))
      while [ "$(now_ms)" -lt "$deadline" ]; do
        (exec 3<>"/dev/tcp/127.0.0.1/$(( $(port_of "$2") + 1 ))") 2>/dev/null && { echo $(( $(now_ms) - since )); return 0; }
        sleep 0.02
      done ;;
  esac
  echo "timeout waiting for $1 on n$2" >&2; return 1
}
await_handover() { # i since_ms: waits for MASTER and for "write accepted" on node i at once; sets m and w (ms)
  echo "m MASTER $(port_of "$1") 60000 $2" >&7; echo "w write $(port_of "$1") 60000 $2" >&7
  m=""; w=""
  local k; for k in 1 2; do
    probe_line "m w"; if [ "$p_id" = m ]; then m=$p_ms; else w=$p_ms; fi
    [ "$p_n" = 0 ] || echo "$p_n n$1 $p_id" >> "$work/404.log"
  done
  [ "$m" != timeout ] && [ "$w" != timeout ] || { echo "timeout waiting for n$1 to take over (MASTER $m, write $w)" >&2; exit 1; }
}
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
secs() { awk -v m="$1" 'BEGIN { if (m == "-") print "-"; else printf "%.2f", m / 1000 }'; }
list() { printf '%s ' "$@" | sed 's/ $//'; }

cleanup() {
  local n; n=$(cat "$work/nginx/nginx.pid" 2>/dev/null || true)
  if [ -n "$n" ] && grep -q nginx "/proc/$n/cmdline" 2>/dev/null; then kill "$n" 2>/dev/null || true; fi
  [ -n "${probe_pid:-}" ] && kill "$probe_pid" 2>/dev/null || true
  for i in 1 2; do
    local p; p=$(pid_of "$i" || true)
    if [ -n "$p" ]; then "$(home_of "$i")/bin/stop" >/dev/null 2>&1 || kill -9 "$p" 2>/dev/null || true; fi
  done
}
trap cleanup EXIT

start_master() { # i: starts node i and waits for MASTER (404 answers on the way go to 404.log); prints ms
  local t0; t0=$(now_ms)
  start "$1"
  await MASTER "$1" 600000 "$t0" || { echo "n$1 did not become MASTER; see $(home_of "$1")/data/log/karaf.log" >&2; return 1; }
}

rm -rf "$work" && mkdir -p "$work"
probe_start
first=(); restart=(); stop_first=(); stop_s=()
echo "start -> MASTER, $REPEATS times (fresh unpack, then restart with data/ kept)"
for r in $(seq 1 "$REPEATS"); do
  rm -rf "$work/store"; unpack 1
  first+=("$(start_master 1)")
  t0=$(now_ms); stop 1; stop_first+=($(( $(now_ms) - t0 )))
  restart+=("$(start_master 1)")
  t0=$(now_ms); stop 1; stop_s+=($(( $(now_ms) - t0 )))
  echo "  run $r: first ${first[-1]} ms, restart ${restart[-1]} ms, bin/stop ${stop_first[-1]} / ${stop_s[-1]} ms"
done

echo "two nodes: n1 master, n2 hot standby; ${IDLE} s idle"
rm -rf "$work/store"; unpack 1; unpack 2
start_master 1 >/dev/null
start 2; await HOT_STANDBY 2 600000 >/dev/null
sleep 5 # both past their start
p1=$(pid_of 1); p2=$(pid_of 2); c2=$(cpu_ticks "$p2"); c1=$(cpu_ticks "$p1"); t0=$(now_ms)
sleep "$IDLE"
dt=$(( $(now_ms) - t0 ))
cpu_master=$(awk -v t=$(( $(cpu_ticks "$p1") - c1 )) -v hz="$hz" -v ms="$dt" 'BEGIN { printf "%.2f", 100 * t / hz / (ms / 1000) }')
cpu_standby=$(awk -v t=$(( $(cpu_ticks "$p2") - c2 )) -v hz="$hz" -v ms="$dt" 'BEGIN { printf "%.2f", 100 * t / hz / (ms / 1000) }')
rss_master=$(rss_mb "$p1"); rss_standby=$(rss_mb "$p2")
echo "  idle RSS master $rss_master MB, standby $rss_standby MB; idle CPU master $cpu_master %, standby $cpu_standby %"

# wrk (Debian package wrk) is installed when missing and this is root on a Debian-like machine; without it the REST
# figures are skipped with a note.
if ! command -v wrk >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "wrk not installed: installing the Debian package wrk"
  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q wrk >/dev/null 2>&1; } || true
fi
# nginx, for the machine's own floor under the same load: the one on the PATH, or Debian's package unpacked (not
# installed: no service is started) into target/bench-tools
nginx_bin() {
  local n; n=$(command -v nginx || ls /usr/sbin/nginx 2>/dev/null || true)
  [ -n "$n" ] && { echo "$n"; return; }
  local tools="$top/target/bench-tools"
  if [ ! -x "$tools/usr/sbin/nginx" ] && command -v apt-get >/dev/null && command -v dpkg >/dev/null; then
    local pkg # the binary is in nginx (Debian 12) or nginx-core (Debian 11)
    for pkg in nginx nginx-core; do
      mkdir -p "$tools/deb" && (cd "$tools/deb" && apt-get download "$pkg" >/dev/null 2>&1) \
        && dpkg -x "$(ls "$tools"/deb/"$pkg"_*.deb | head -n 1)" "$tools" 2>/dev/null || true
      [ -x "$tools/usr/sbin/nginx" ] && break
    done
  fi
  [ -x "$tools/usr/sbin/nginx" ] && echo "$tools/usr/sbin/nginx"
}
wrk_c16() { # threads warm-up-s url [header]: warm-up, then the measured run; prints "requests/s p99-ms"
  local h=(); [ -n "${4:-}" ] && h=(-H "$4")
  # a wrk that fails (no connection) prints "- -" rather than ending the script
  if [ "$2" -gt 0 ]; then wrk -t"$1" -c16 -d"$2s" "${h[@]}" "$3" >/dev/null 2>&1 || true; fi
  { wrk -t"$1" -c16 -d"${DURATION}s" --latency "${h[@]}" "$3" 2>/dev/null || true; } | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 } /^ +99%/ { p99 = ms($2) }
    END { if (rps == "" || rps + 0 == 0) print "- -"; else printf "%.0f %.2f\n", rps, p99 }'
}
# The REST load: 16 connections from wrk with one thread, which can drive far more than the node answers (nginx
# below: ~60,000 requests/s). The client shares this machine's 2 cores with the node; with two client threads it can
# hold both cores at once, and the measure becomes the client's contention: nginx's p99 goes from ~0.5 ms to ~3 ms.
# The two-thread figures are printed too.
rest_note="wrk not installed: REST figures not measured"
rest_rps="-"; rest_p99="-"; rest2_rps="-"; rest2_p99="-"; cxf_rps="-"; cxf_p99="-"; rss_load="-"
jetty_rps="-"; jetty_p99="-"; nginx_rps="-"; nginx_p99="-"; nginx2_rps="-"; nginx2_p99="-"
if command -v wrk >/dev/null; then
  b64=$(printf '%s' "$auth" | base64 -w0)
  state_url="http://127.0.0.1:$(port_of 1)/v1/server/ha/state"
  read -r rest_rps rest_p99 < <(wrk_c16 1 "$WARMUP" "$state_url" "Authorization: Basic $b64")
  rss_load=$(rss_mb "$p1")
  rest_note="wrk -c16 with one thread (two where said), ${WARMUP} s warm-up then ${DURATION} s measured, on the master"
  echo "  REST c16: $rest_rps requests/s, p99 $rest_p99 ms, RSS after $rss_load MB"
  read -r rest2_rps rest2_p99 < <(wrk_c16 2 5 "$state_url" "Authorization: Basic $b64")
  echo "  REST c16, two client threads: $rest2_rps requests/s, p99 $rest2_p99 ms"
  # a read that the JAX-RS dispatch (CXF) answers, for the cost of the rest of the API
  read -r cxf_rps cxf_p99 < <(wrk_c16 1 "$WARMUP" "http://127.0.0.1:$(port_of 1)/v1/server/ha/priority" "Authorization: Basic $b64")
  echo "  REST c16 through CXF (GET /v1/server/ha/priority): $cxf_rps requests/s, p99 $cxf_p99 ms"
  # the same load on what the node's HTTP server answers by itself (404 outside /v1: no CXF, no authentication)
  read -r jetty_rps jetty_p99 < <(wrk_c16 1 5 "http://127.0.0.1:$(port_of 1)/bench-no-such-path")
  echo "  the node's own 404, c16: $jetty_rps requests/s, p99 $jetty_p99 ms"
  nginx=$(nginx_bin || true)
  if [ -n "$nginx" ]; then
    ng="$work/nginx"; mkdir -p "$ng"
    cat > "$ng/nginx.conf" <<NGINX
worker_processes 1;
pid $ng/nginx.pid;
error_log $ng/error.log;
events { worker_connections 256; }
http {
  access_log off;
  # an unpacked (not installed) nginx has no /var/lib/nginx: its temporary folders go here
  client_body_temp_path $ng/tmp-body; proxy_temp_path $ng/tmp-proxy; fastcgi_temp_path $ng/tmp-fastcgi;
  uwsgi_temp_path $ng/tmp-uwsgi; scgi_temp_path $ng/tmp-scgi;
  server { listen 127.0.0.1:$(( PORT + 50 )); location / { return 200 '"MASTER"'; } }
}
NGINX
    if "$nginx" -c "$ng/nginx.conf" -p "$ng" 2>>"$ng/error.log" 7>&- 8<&-; then
      read -r nginx_rps nginx_p99 < <(wrk_c16 1 5 "http://127.0.0.1:$(( PORT + 50 ))/")
      read -r nginx2_rps nginx2_p99 < <(wrk_c16 2 5 "http://127.0.0.1:$(( PORT + 50 ))/")
      "$nginx" -c "$ng/nginx.conf" -p "$ng" -s stop 2>/dev/null || kill "$(cat "$ng/nginx.pid")" 2>/dev/null || true
      echo "  nginx (1 worker, constant answer), c16: $nginx_rps requests/s, p99 $nginx_p99 ms; two client threads: $nginx2_rps requests/s, p99 $nginx2_p99 ms"
    fi
  fi
fi

# handovers: the master alternates between n1 and n2
master=1; other=2
swap() { local t=$master; master=$other; other=$t; }
stop_master=(); stop_write=(); stop_cmd=(); down_write=(); down_master=(); kill_master=()
echo "bin/stop of the master -> standby MASTER / write accepted, $REPEATS times"
for r in $(seq 1 "$REPEATS"); do
  t0=$(now_ms)
  ( stop "$master" ) & stopper=$!
  await_handover "$other" "$t0"
  wait "$stopper"; stop_cmd+=($(( $(now_ms) - t0 )))
  stop_master+=("$m"); stop_write+=("$w")
  echo "  run $r: MASTER +$m ms, write +$w ms, bin/stop returned +${stop_cmd[-1]} ms"
  # fully started before it is the standby of the next run: its ssh server (the last to start) listens
  start "$master"; await HOT_STANDBY "$master" 600000 >/dev/null; await booted "$master" 60000 >/dev/null
  swap
done
echo "POST /v1/server/ha/stepdown on the master -> write accepted on the other node, $REPEATS times"
for r in $(seq 1 "$REPEATS"); do
  t0=$(now_ms)
  curl -s -m 5 -o /dev/null -u "$auth" -X POST -d hold=2s "http://127.0.0.1:$(port_of "$master")/v1/server/ha/stepdown"
  await_handover "$other" "$t0"
  down_master+=("$m"); down_write+=("$w")
  echo "  run $r: MASTER +$m ms, write +$w ms"
  await HOT_STANDBY "$master" 60000 >/dev/null
  swap
  sleep 3 # the node that stepped down is electable again (hold 2 s) before the next figure
done
echo "kill -9 of the master -> standby MASTER (heartbeatTimeout T = 3 s), $REPEATS times"
for r in $(seq 1 "$REPEATS"); do
  sleep 2 # a fresh heartbeat
  p=$(pid_of "$master"); t0=$(now_ms); kill -9 "$p"
  m=$(await MASTER "$other" 60000 "$t0"); kill_master+=("$m")
  echo "  run $r: MASTER +$m ms"
  # fully started before it is the standby of the next run: its ssh server (the last to start) listens
  start "$master"; await HOT_STANDBY "$master" 600000 >/dev/null; await booted "$master" 60000 >/dev/null
  swap
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
speed_after=$(cpu_ref)
steal=$(steal_since "$steal_before")
saw404=0; [ -f "$work/404.log" ] && saw404=$(awk '{ n += $1 } END { print n + 0 }' "$work/404.log")

met() { awk -v v="$1" -v lim="$2" 'BEGIN { if (v == "-") print "not measured"; else if (v + 0 <= lim + 0) print "met"; else print "**not met**" }'; }
m_first=$(median "${first[@]}"); m_restart=$(median "${restart[@]}"); m_stop=$(median "${stop_s[@]}"); m_stop_first=$(median "${stop_first[@]}")
m_stop_master=$(median "${stop_master[@]}"); m_stop_write=$(median "${stop_write[@]}"); m_stop_cmd=$(median "${stop_cmd[@]}")
m_down_master=$(median "${down_master[@]}"); m_down_write=$(median "${down_write[@]}"); m_kill=$(median "${kill_master[@]}")
commit=$(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)
section=$(cat <<EOF
<!-- node-bench -->
# Node benchmarks

Written by \`bench/node-bench.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC') (commit $commit plus the working tree), on the built
distribution with its default JVM options (\`bin/setenv\`). Two nodes on 127.0.0.1 sharing a folder store,
heartbeatTimeout 3 s, pollPeriod 1 s; medians of $REPEATS runs (every run in brackets, ms).
Machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -n1).
**Load average (1/5/15 min) before: $load_before; after: $load_after. CPU time stolen by the hypervisor (other
guests of the host) during the runs: $steal %.** A load above ~2 (other processes on this machine) or a steal above a
few per cent means the times below include waiting for a CPU. A reference of the CPU's speed, to compare runs of
different hours: one core took $speed_before ms (before the runs) and $speed_after ms (after them) for \`sha256sum\` of 256 MiB.

| figure | median | runs (ms) | target | |
|---|---|---|---|---|
| \`bin/start\` → MASTER, fresh unpack | $(secs "$m_first") s | $(list "${first[@]}") | ≤ 4 s | $(met "$m_first" 4000) |
| \`bin/start\` → MASTER, restart with \`data/\` kept | $(secs "$m_restart") s | $(list "${restart[@]}") | ≤ 4 s | $(met "$m_restart" 4000) |
| \`bin/stop\` of a single node after its first run, until its JVM has exited (it writes a class data archive only where the shipped one does not fit) | $(secs "$m_stop_first") s | $(list "${stop_first[@]}") | | |
| \`bin/stop\` of a single node after a restart, until its JVM has exited | $(secs "$m_stop") s | $(list "${stop_s[@]}") | | |
| idle RSS, master / hot standby (after ${IDLE} s) | $rss_master / $rss_standby MB | | ≤ 250 MB | $(met "$(( rss_master > rss_standby ? rss_master : rss_standby ))" 250) |
| idle CPU, master / hot standby (over ${IDLE} s) | $cpu_master / $cpu_standby % | | standby ≤ 2 % | $(met "$cpu_standby" 2) |
| RSS of the master after the REST load below | $rss_load MB | | | |
| REST c16 p99, GET /v1/server/ha/state ($rest_rps requests/s) | $rest_p99 ms | | ≤ 5 ms | $(met "$rest_p99" 5) |
| the same with two client threads ($rest2_rps requests/s): p99 | $rest2_p99 ms | | | |
| the same load on a read answered through CXF, GET /v1/server/ha/priority ($cxf_rps requests/s): p99 | $cxf_p99 ms | | | |
| the same load on the node's own 404 (Jetty and pax-web, no CXF, no authentication; $jetty_rps requests/s): p99 | $jetty_p99 ms | | reference | |
| the same load on nginx, 1 worker, a constant answer (this machine's floor; $nginx_rps requests/s): p99 | $nginx_p99 ms | | reference | |
| nginx with two client threads ($nginx2_rps requests/s): p99 | $nginx2_p99 ms | | reference | |
| \`bin/stop\` of the master → standby MASTER | $(secs "$m_stop_master") s | $(list "${stop_master[@]}") | | |
| \`bin/stop\` of the master → write accepted on the standby | $(secs "$m_stop_write") s | $(list "${stop_write[@]}") | ≤ 0.5 s | $(met "$m_stop_write" 500) |
| \`bin/stop\` of the master, until it returned (JVM exited) | $(secs "$m_stop_cmd") s | $(list "${stop_cmd[@]}") | | |
| step-down POST → other node MASTER | $(secs "$m_down_master") s | $(list "${down_master[@]}") | | |
| step-down POST → write accepted on the other node | $(secs "$m_down_write") s | $(list "${down_write[@]}") | ≤ 0.5 s | $(met "$m_down_write" 500) |
| kill -9 of the master → standby MASTER | $(secs "$m_kill") s | $(list "${kill_master[@]}") | ≤ T + 0.3 s = 3.3 s | $(met "$m_kill" 3300) |

REST: $rest_note. HTTP 404 answers seen by the sampler in all the waits above (GET /v1/server/ha/state,
and POST /v1/server/ha/states/clear for "write accepted"), starts included: $saw404 (connection refused before the
HTTP server is up is expected and not counted). Times are
sampled every 20 ms by \`bench/Probe.java\` on kept-alive connections (one JVM started before the runs).
<!-- /node-bench -->
EOF
)
file="$top/BENCHMARKS.md"
touch "$file"
if grep -q '^<!-- node-bench -->$' "$file"; then
  awk -v s="$section" '/^<!-- node-bench -->$/ { print s; skip = 1; next } /^<!-- \/node-bench -->$/ { skip = 0; next } !skip' "$file" > "$file.new"
else
  { cat "$file"; echo; echo "$section"; } > "$file.new"
fi
mv "$file.new" "$file"
echo "$section"
