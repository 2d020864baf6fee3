#!/usr/bin/env bash
# The whole test line, RUNS times in a row on one clean clone of HEAD, while BURNERS CPU-burning
# processes run beside it (a busy shop PC). Prints each run's result, time and load average.
#   bash scripts/test-under-load.sh [RUNS=3] [BURNERS=2]
# The clone and each run's log are kept under $TMPDIR (printed at the start).
set -uo pipefail
runs=${1:-3}
burners=${2:-2}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/suanpan-load.XXXXXX")
git clone -q --no-hardlinks "$repo" "$work/clone"
echo "clean clone of $(git -C "$work/clone" rev-parse --short HEAD) in $work/clone; $burners burner(s); $runs run(s)"

burner_pids=()
for _ in $(seq "$burners"); do
  sh -c 'while :; do :; done' &
  burner_pids+=($!)
done
stop_burners() { kill "${burner_pids[@]}" 2>/dev/null; }
trap stop_burners EXIT

failed=0
for run in $(seq "$runs"); do
  log="$work/run-$run.log"
  loads="$work/run-$run.load"
  (while :; do cut -d' ' -f1 /proc/loadavg >>"$loads"; sleep 15; done) &
  sampler=$!
  start=$(date +%s)
  (cd "$work/clone" && bash scripts/setup-and-test.sh) >"$log" 2>&1
  status=$?
  kill "$sampler" 2>/dev/null
  seconds=$(($(date +%s) - start))
  load_range=$(sort -n "$loads" | sed -n '1p;$p' | paste -sd- -)
  plain=$(sed -E 's/\x1b\[[0-9;]*m//g' "$log")
  tests=$(grep -E '^ +Tests +[0-9]' <<<"$plain" | tail -n 1 | sed -E 's/ +/ /g')
  e2e=$(grep -E '^ +[0-9]+ (passed|failed|flaky)' <<<"$plain" | sed -E 's/ +/ /g' | paste -sd, -)
  verdict=$([ "$status" -eq 0 ] && echo green || echo RED)
  echo "run $run: $verdict in ${seconds}s, load average $load_range; vitest:$tests; playwright:$e2e; log $log"
  [ "$status" -eq 0 ] || failed=$((failed + 1))
done
[ "$failed" -eq 0 ]
