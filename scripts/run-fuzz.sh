#!/usr/bin/env bash
# Builds every libFuzzer target with clang (ASan+UBSan) in build-fuzz and runs
# each for FUZZ_SECONDS (default 60) on its committed corpus. Crashes are
# written to build-fuzz/crashes/<target>/; commit each as a regression input.
# FUZZ_TARGETS (an extended regex, e.g. 'fuzz_rtc_') limits what is built and run.
#
# Corpus of fuzz_<module>_<name>: server/fuzz/<module>/<name>/corpus when that
# exists (modules with several parsers, e.g. rtc), else server/fuzz/<module>/corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
cmake -S . -B build-fuzz -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPARLEY_FUZZ=ON -DPARLEY_TESTS=OFF -DPARLEY_BENCH=OFF >/dev/null
filter=${FUZZ_TARGETS:-.}
targets=$(ninja -C build-fuzz -t targets all | grep -oE '^fuzz_[a-z0-9_]+:' | tr -d ':' | sort -u | grep -E "$filter" || true)
if [[ -z "$targets" ]]; then echo "run-fuzz: no target matches '$filter'"; exit 1; fi
ninja -C build-fuzz -j "${JOBS:-$(nproc)}" $targets
status=0
for name in $targets; do
  bin="build-fuzz/bin/$name"
  module=$(cut -d_ -f2 <<<"$name")   # fuzz_rtc_stun -> rtc, stun
  rest=$(cut -d_ -f3- <<<"$name")
  corpus="server/fuzz/$module/$rest/corpus"
  [[ -d "$corpus" ]] || corpus="server/fuzz/$module/corpus"
  work="build-fuzz/corpus/$name"; crashes="build-fuzz/crashes/$name"
  mkdir -p "$work" "$crashes"
  echo "== $name for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -artifact_prefix="$crashes/" "$work" "$corpus" 2>&1 | tail -3; then
    status=1
  fi
done
exit $status
