#!/usr/bin/env bash
# HTTP throughput of parleyd on this machine, load generator included:
# `{ me { id displayName } }` with a valid token over keep-alive, and plain
# /healthz on the same run for the ratio. Uses wrk (Debian).
#   DURATION=10s CONNECTIONS=64 THREADS=1 scripts/bench-http.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-64}
wrk_threads=${THREADS:-1}
data=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
"$build/bin/parleyd" serve --listen 127.0.0.1:0 --data-dir "$data" --profile test >"$data/out" 2>"$data/err" &
pid=$!
for _ in $(seq 100); do grep -q 'running at' "$data/out" 2>/dev/null && break; sleep 0.1; done
url=$(grep -oE 'http://[^ ]+' "$data/out" | sed 's:/$::')
TOKEN=$(curl -s "$url/graphql" -H 'content-type: application/json' -d '{"query":"mutation { signUp(input: {email: \"bench@example.test\", password: \"benchmark password 1\", displayName: \"Bench\"}) { accessToken } }"}' \
  | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
export TOKEN
echo "== /healthz ($connections connections, $wrk_threads wrk thread(s), $duration)"
wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency "$url/healthz" | grep -E 'Requests/sec|99%|50%'
echo "== POST /graphql { me { id displayName } }"
wrk -t"$wrk_threads" -c"$connections" -d"$duration" --latency -s server/bench/http/me.lua "$url/graphql" | grep -E 'Requests/sec|99%|50%|p50|Non-2xx'
