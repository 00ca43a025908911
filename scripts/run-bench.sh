#!/usr/bin/env bash
# Runs every benchmark against the release build. The figures and these
# commands go into docs/benchmarks.md. Never run by `make test`.
#   make bench                 # everything, ~8 minutes
#   scripts/run-bench.sh graphql fanout   # a subset
#   scripts/run-bench.sh chat             # chat-throughput chat-idle chat-reconnect
#   scripts/run-bench.sh sfu              # sfu-forward sfu-memory calls-join
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
want=${*:-graphql auth storage http fanout chat sfu}
expanded=""
for what in $want; do
  case "$what" in
    chat) expanded="$expanded chat-throughput chat-idle chat-reconnect" ;;
    sfu) expanded="$expanded sfu-forward sfu-memory calls-join" ;;
    *) expanded="$expanded $what" ;;
  esac
done
want=$expanded
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
for what in $want; do
  case "$what" in
    graphql) "$build/bin/bench_graphql" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true ;;
    auth) "$build/bin/auth_bench" ;;
    storage) "$build/bin/storage_bench" ;;
    http) scripts/bench-http.sh ;;
    fanout) "$build/bin/bench_ws_fanout" --parleyd "$build/bin/parleyd" --clients 10000 --rounds 30 ;;
    chat-throughput) "$build/bin/bench_chat" --scenario throughput --parleyd "$build/bin/parleyd" ;;
    chat-idle) "$build/bin/bench_chat" --scenario idle --parleyd "$build/bin/parleyd" --users 1000 --connections 10000 ;;
    chat-reconnect) "$build/bin/bench_chat" --scenario reconnect --parleyd "$build/bin/parleyd" --users 1000 --clients 5000 --behind 100 ;;
    sfu-forward) "$build/bin/bench_sfu_forward" 10 100 5 ;;
    sfu-memory) "$build/bin/bench_sfu_memory" 4 11 8 ;;
    calls-join) PARLEYD="$build/bin/parleyd" node server/bench/calls/join_bench.mjs 20 ;;
    *) echo "unknown benchmark '$what' (graphql auth storage http fanout chat chat-throughput chat-idle chat-reconnect sfu sfu-forward sfu-memory calls-join)"; exit 2 ;;
  esac
done
