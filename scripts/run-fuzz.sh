#!/usr/bin/env bash
# Builds every libFuzzer target with clang (ASan+UBSan) in build-fuzz and runs
# each for FUZZ_SECONDS (default 60) on its committed corpus. Crashes are
# written to build-fuzz/crashes/<target>/; commit each as a regression input.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPARLEY_FUZZ=ON -DPARLEY_TESTS=OFF -DPARLEY_BENCH=OFF >/dev/null
ninja -C build-fuzz $(ninja -C build-fuzz -t targets all | grep -oE '^fuzz_[a-z0-9_]+:' | tr -d ':' | sort -u)
status=0
for bin in build-fuzz/bin/fuzz_*; do
  name=$(basename "$bin")            # fuzz_graphql_parser -> server/fuzz/graphql/corpus
  module=$(cut -d_ -f2 <<<"$name")
  corpus="server/fuzz/$module/corpus"
  work="build-fuzz/corpus/$name"; crashes="build-fuzz/crashes/$name"
  mkdir -p "$work" "$crashes"
  echo "== $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -artifact_prefix="$crashes/" "$work" "$corpus" 2>&1 | tail -3; then
    status=1
  fi
done
exit $status
