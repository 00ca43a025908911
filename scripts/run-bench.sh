#!/usr/bin/env bash
# Runs the micro-benchmarks (Google Benchmark) and the load generators under
# build/bin. Figures and the commands behind them go into docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
for bin in "$build"/bin/*bench*; do
  [[ -x "$bin" ]] || continue
  echo "== $(basename "$bin")"
  "$bin" --benchmark_min_time=0.5 2>/dev/null || "$bin"
done
if [[ -x scripts/bench-http.sh ]]; then scripts/bench-http.sh; fi
