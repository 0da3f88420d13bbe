#!/usr/bin/env bash
# Set up guidegen on a fresh Debian/Ubuntu machine: system packages, then a Python virtual environment.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

# shellcheck disable=SC2207  # one package name per word, comments stripped
DEBIAN_PACKAGES=($(sed 's/#.*//' scripts/debian-packages.txt))
# axe-core and pdf.js (test tools) come from the npm registry; take Debian's npm only when no npm is on the machine.
command -v npm >/dev/null 2>&1 || DEBIAN_PACKAGES+=(nodejs npm)

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'

if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -d node_modules/pdfjs-dist ]; then
  npm install --no-audit --no-fund --silent
fi
echo "guidegen is set up: .venv/bin/guidegen --help"
