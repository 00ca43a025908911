#!/usr/bin/env bash
# Runs every suite (GoogleTest through ctest, then the node integration
# tests against the built parleyd) and ends with one line:
#   Total: N passed, N failed
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
build=${BUILD_DIR:-build}
passed=0
failed=0
logs=$(mktemp -d)

echo "== GoogleTest (ctest)"
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure --timeout 300 2>&1 | tee "$logs/ctest.txt"
line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$logs/ctest.txt" | tail -1)
if [[ -n "$line" ]]; then
  total=$(sed -E 's/.* out of ([0-9]+).*/\1/' <<<"$line")
  nfail=$(sed -E 's/.*passed, ([0-9]+) tests? failed.*/\1/' <<<"$line")
  passed=$((passed + total - nfail))
  failed=$((failed + nfail))
else
  echo "ctest produced no summary"; failed=$((failed + 1))
fi

if [[ -f web/package.json ]]; then
  echo "== Web client unit tests (Vitest)"
  (cd web && npx --no-install vitest run --reporter=default --reporter=json --outputFile.json="$logs/vitest.json")
  if [[ -f "$logs/vitest.json" ]]; then
    read -r vp vf < <(node -e 'const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTestSuites||0))' "$logs/vitest.json")
    passed=$((passed + vp)); failed=$((failed + vf))
  else
    echo "vitest produced no summary"; failed=$((failed + 1))
  fi
fi

if [[ -d e2e/tests ]] && ls e2e/tests/*.test.mjs >/dev/null 2>&1; then
  echo "== Integration tests (node --test)"
  export PARLEYD="$PWD/$build/bin/parleyd"
  (cd e2e && node --test --test-concurrency=1 --test-timeout=300000 \
      --test-reporter=spec --test-reporter-destination=stdout \
      --test-reporter=tap --test-reporter-destination="$logs/node.tap" tests/)
  np=$(grep -E '^# pass [0-9]+' "$logs/node.tap" | awk '{print $3}')
  nf=$(grep -E '^# fail [0-9]+' "$logs/node.tap" | awk '{print $3}')
  if [[ -n "$np" ]]; then
    passed=$((passed + np)); failed=$((failed + ${nf:-0}))
  else
    echo "node --test produced no summary"; failed=$((failed + 1))
  fi
fi

rm -rf "$logs"
echo "Total: $passed passed, $failed failed"
[[ $failed -eq 0 && $passed -gt 0 ]]
