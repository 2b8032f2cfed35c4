#!/usr/bin/env bash
# baseline_comparison_test.sh BASELINE_COMPARISON: the comparison passes a run
# that meets its targets and fails (exit 1, naming the reason) one that
# misses a target, regressed, reported an error or lost a counter.
set -uo pipefail
tool=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

bench() {  # name, then the JSON members after "name"
  printf '{"name": "%s"%s}' "$1" "${2:+, $2}"
}
doc() {  # benchmark objects
  local IFS=,
  printf '{"context": {}, "benchmarks": [%s]}\n' "$*"
}
expect() {  # exit code, pattern in the output, result JSON, baseline JSON
  printf '%s' "$3" >"$dir/result.json"
  printf '%s' "$4" >"$dir/baseline.json"
  out=$("$tool" "$dir/result.json" "$dir/baseline.json")
  code=$?
  if [ "$code" -ne "$1" ] || ! grep -q -- "$2" <<<"$out"; then
    echo "expected exit $1 and '$2', got exit $code:"
    echo "$out"
    exit 1
  fi
}

baseline=$(doc "$(bench BM_A '"ratio": 1.0, "target_met": 1')")
expect 0 "ok" "$(doc "$(bench BM_A '"ratio": 0.9, "target_met": 1')")" "$baseline"
expect 1 "TARGET MISSED" "$(doc "$(bench BM_A '"ratio": 0.9, "target_met": 0')")" "$baseline"
expect 1 "REGRESSED" "$(doc "$(bench BM_A '"ratio": 0.5, "target_met": 1')")" "$baseline"
expect 1 "ERROR: server gone" \
  "$(doc "$(bench BM_A '"error_occurred": true, "error_message": "server gone"')")" "$baseline"
expect 1 "ratio .*MISSING" "$(doc "$(bench BM_A '"target_met": 1')")" "$baseline"
expect 1 "BM_A .*target_met .*MISSING" "$(doc "$(bench BM_B '"target_met": 1')")" "$baseline"
# Without a stored baseline, an error still fails the run.
expect 1 "ERROR" "$(doc "$(bench BM_A '"error_occurred": true')")" "not json"
echo "baseline_comparison: all cases behave"
