# Sourced by the benchmark scripts: the CPU time the hypervisor gave to other guests of the host ("steal" in
# /proc/stat) while a benchmark ran. On a shared VM it explains run-to-run differences that the load average
# (which counts only this machine's own runnable threads) does not show.
steal_mark() { # prints "STEAL TOTAL" in clock ticks, summed over all CPUs
  awk '/^cpu / { print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
steal_since() { # MARK: the percentage of all CPU time since MARK that was stolen
  local now; now=$(steal_mark)
  awk -v a="$1" -v b="$now" 'BEGIN { split(a, x, " "); split(b, y, " "); t = y[2] - x[2]
    printf "%.1f", (t > 0 ? 100 * (y[1] - x[1]) / t : 0) }'
}
