#!/usr/bin/env bash
# Installs what Parley needs to build, run and test, and nothing that is
# already there: Debian packages through apt-get (sudo when not root), a
# Node.js >= 20 (from the npm registry's `node` package when the system's is
# older), and the npm packages of e2e/ (and web/) from their lock files.
# Idempotent: with everything present it only checks, in about a second.
#
# Usage: scripts/install-deps.sh [--fuzz] [--bench]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  # toolchain
  g++ cmake ninja-build ccache mold pkg-config make git
  # libraries
  libboost-dev libboost-system-dev libssl-dev libsrtp2-dev libsodium-dev libsqlite3-dev
  libtomlplusplus-dev libspdlog-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  # the web client's browser tests (playwright-core drives /usr/bin/chromium)
  chromium
  # the SFU's interop test: a WebRTC implementation nobody here wrote
  python3-aiortc
)
# Node.js and npm for the integration tests and the web client: Debian's
# packages unless the machine already has both commands (some images ship a
# nodejs package that bundles npm and conflicts with Debian's npm package).
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi
for arg in "$@"; do
  case "$arg" in
    --fuzz) packages+=(clang libfuzzer-14-dev libclang-rt-14-dev) ;;
    --bench) packages+=(wrk) ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=()
  if [[ $(id -u) -ne 0 ]]; then sudo=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  apt_opts=(-o DPkg::Lock::Timeout=300 -y --no-install-recommends)
  # A fresh machine has no package lists yet; refresh them once if an install fails.
  if ! "${sudo[@]}" apt-get "${apt_opts[@]}" install "${missing[@]}"; then
    "${sudo[@]}" apt-get -o DPkg::Lock::Timeout=300 update
    "${sudo[@]}" apt-get "${apt_opts[@]}" install "${missing[@]}"
  fi
fi

# Node.js >= 20.9 (Debian 12 ships 18). The npm registry's `node` package
# carries an official binary; it lands in .tools/node.
node_ok() {
  command -v "$1" >/dev/null 2>&1 || return 1
  "$1" -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=9)?0:1)'
}
if ! node_ok node && ! node_ok .tools/node/node_modules/.bin/node; then
  echo "install-deps: system Node.js is older than 20.9; installing node@20 from npm into .tools/node"
  mkdir -p .tools/node
  npm install --prefix .tools/node --no-save --no-package-lock node@20 >/dev/null
fi
if ! node_ok node; then export PATH="$PWD/.tools/node/node_modules/.bin:$PATH"; fi

# npm packages from committed lock files; reinstall only when the lock changed.
for dir in e2e web; do
  [[ -f "$dir/package-lock.json" ]] || continue
  stamp="$dir/node_modules/.parley-lock-stamp"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$dir/package-lock.json" "$stamp"; then
    echo "install-deps: npm ci in $dir"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
    cp "$dir/package-lock.json" "$stamp"
  fi
done
