#!/usr/bin/env bash
# Set up guidegen on a fresh Debian/Ubuntu machine: system packages, then a Python virtual environment.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  fonts-noto-core fonts-noto-cjk fontconfig            # fonts named by the PDFs, per script
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint's text layout
  poppler-utils                                         # pdftoppm, to look at printed pages
  gettext                                               # msgfmt: the tests check catalogs with it
  chromium                                              # headless browser for accessibility tests
)
# axe-core comes from the npm registry; take Debian's npm only when no npm is on the machine.
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

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  npm install --no-audit --no-fund --silent
fi
echo "guidegen is set up: .venv/bin/guidegen --help"
