#!/usr/bin/env bash
# scripts/setup.sh: installs what nnplay needs to build and test, and nothing when all is present.
# Runs before every `npm run build` / `npm start` / `npm test`, so the check path must stay fast:
# one dpkg-query for the Debian packages, one timestamp test for node_modules.
# Debian packages: apt-get (sudo when not root). npm packages: `npm ci` from package-lock.json.
# Browsers are never downloaded: tests drive Debian's /usr/bin/chromium through playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  emscripten libeigen3-dev chromium nlohmann-json3-dev python3-numpy dataset-fashion-mnist
  libopenblas0-pthread python3-threadpoolctl googletest libgtest-dev libbenchmark-dev cmake g++ make
  python3-torch
  clang libclang-rt-14-dev
)

# --- Debian packages -----------------------------------------------------------------------
# One dpkg-query for all: "ii <name>" marks an installed package; unknown names go to stderr.
installed=" $(dpkg-query -W -f='${db:Status-Abbrev}${Package}\n' "${APT_PACKAGES[@]}" 2>/dev/null |
  awk '/^ii/ { printf "%s ", $2 }' || true) "
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  [[ "$installed" == *" $pkg "* ]] || missing+=("$pkg")
done
if ((${#missing[@]})); then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then SUDO=(sudo); fi
  echo "setup: installing Debian packages: ${missing[*]}"
  "${SUDO[@]}" apt-get update -q >/dev/null
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  echo "setup: Debian packages installed"
else
  echo "setup: Debian packages present"
fi

# --- npm packages ---------------------------------------------------------------------------
# A stamp written after a successful install; reinstall when package(-lock).json is newer.
stamp=node_modules/.nnplay-installed
if [[ ! -f $stamp || package.json -nt $stamp || ( -f package-lock.json && package-lock.json -nt $stamp ) ]]; then
  if [[ -f package-lock.json ]]; then
    echo "setup: npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  else
    echo "setup: npm install (no package-lock.json)"
    npm install --no-audit --no-fund --loglevel=error
  fi
  touch "$stamp"
else
  echo "setup: node_modules up to date"
fi
