#!/usr/bin/env bash
# Breaks one safety mechanism at a time and checks that CI's tests catch it (run on demand, not in CI).
# Each mutation is applied to a scratch copy of the sources, ha-core's tests run (the simulation's CI seeds
# included), and the mutation counts as caught only if the build fails. Prints one line per mutation.
#
#   scripts/mutation-check.sh            # all mutations
#   scripts/mutation-check.sh lease      # one of: lease epoch seal folder
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
core=ha-core/src/main/java/dev/tandem/ha/core
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# name, file, perl substitution, what it breaks, which tests should catch it: one line each, fields separated by tabs
mutations=(
  "lease	$core/Lease.java	s/return held && nowNanos - expiresAtNanos < 0 && nowWallMillis < wallDeadlineMillis;/return held;/	a lease never expires	simulation seeds, HaNodeTest"
  "epoch	$core/RecordIo.java	s/(boolean refreshEpoch\\(\\) \\{)/\$1 if (true) return true;/	the epoch check is off (a master never sees a newer epoch)	simulation seeds"
  "seal	$core/FencedStateStore.java	s/return v.epoch\\(\\) >= epoch \\|\\| sealed != null && v.compareTo\\(sealed\\) <= 0;/return true;/	a seal admits every version	simulation seeds, FencedStateStoreTest"
  "folder	$core/FolderPlaneStore.java	s/(public boolean createIfAbsent\\(String key, byte\\[\\] content\\) throws StoreException \\{)/\$1 put(key, content); if (true) return true;/	create-if-absent on the folder store is a plain overwrite (two claimants win one epoch)	FolderPlaneStoreTest"
)

only=${1:-}
status=0
for m in "${mutations[@]}"; do
  IFS=$'\t' read -r name file subst what catcher <<<"$(printf '%b' "$m")"
  [ -n "$only" ] && [ "$only" != "$name" ] && continue
  rm -rf "$scratch/src" && mkdir -p "$scratch/src"
  git ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$scratch/src")
  perl -0pi -e "$subst" "$scratch/src/$file"
  if cmp -s "$root/$file" "$scratch/src/$file"; then
    echo "MUTATION $name NOT APPLIED: the pattern no longer matches $file"; status=1; continue
  fi
  start=$(date +%s)
  (cd "$scratch/src" && mvn -B -ntp -q -pl ha-api,ha-core -am test >"$scratch/$name.log" 2>&1)
  rc=$?
  took=$(( $(date +%s) - start ))
  first=$(grep -m1 -oE 'First failing seed [0-9]+|Tests run:.*FAILURE!.*in [A-Za-z.]+' "$scratch/$name.log" | head -1)
  if [ $rc -ne 0 ]; then
    echo "CAUGHT  $name ($what) in ${took}s: ${first:-build failed}   [expected: $catcher]"
  else
    echo "MISSED  $name ($what): every test passed in ${took}s   [expected: $catcher]"; status=1
  fi
done
exit $status
