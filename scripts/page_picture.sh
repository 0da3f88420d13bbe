#!/usr/bin/env bash
# Make the README's pictures of printed pages from the built PDFs (run after guidegen build).
set -euo pipefail
cd "$(dirname "$0")/.."
site=build/site
pdftoppm -r 50 -png -singlefile -f 1 -l 1 "$site/en/dishonest-list-removal/dishonest-list-removal.en.pdf" docs/printed-page-en
pdftoppm -r 50 -png -singlefile -f 4 -l 4 "$site/zh-Hans/dishonest-list-removal/dishonest-list-removal.zh-Hans.pdf" docs/printed-page-zh-Hans
pdftoppm -r 50 -png -singlefile -f 1 -l 1 "$site/ug/dishonest-list-removal/dishonest-list-removal.ug.pdf" docs/printed-page-ug
ls -l docs/printed-page-*.png
