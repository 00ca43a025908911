#!/usr/bin/env bash
# Runs every benchmark against the release build. The figures and these
# commands go into docs/benchmarks.md. Never run by `make test`.
#   make bench                 # everything, ~3 minutes
#   scripts/run-bench.sh graphql fanout   # a subset
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
want=${*:-graphql auth storage http fanout}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for what in $want; do
  case "$what" in
    graphql) "$build/bin/bench_graphql" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true ;;
    auth) "$build/bin/auth_bench" ;;
    storage) "$build/bin/storage_bench" ;;
    http) scripts/bench-http.sh ;;
    fanout) "$build/bin/bench_ws_fanout" --parleyd "$build/bin/parleyd" --clients 10000 --rounds 30 ;;
    *) echo "unknown benchmark '$what' (graphql auth storage http fanout)"; exit 2 ;;
  esac
done
