#!/usr/bin/env bash
# Make the README's pictures of printed pages from the built PDFs (run after guidegen build).
set -euo pipefail
cd "$(dirname "$0")/.."
site=build/site

# first page on which a PDF shows the given text
page_with() {
  local pdf=$1 text=$2 pages
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  for ((n = 1; n <= pages; n++)); do
    if pdftotext -f "$n" -l "$n" "$pdf" - | grep -q "$text"; then echo "$n"; return; fi
  done
  echo 1
}

en=$site/en/dishonest-list-removal/dishonest-list-removal.en.pdf
zh=$site/zh-Hans/dishonest-list-removal/dishonest-list-removal.zh-Hans.pdf
ug=$site/ug/dishonest-list-removal/dishonest-list-removal.ug.pdf
pdftoppm -r 50 -png -singlefile -f 1 -l 1 "$en" docs/printed-page-en
letter=$(page_with "$zh" "签名")
pdftoppm -r 50 -png -singlefile -f "$letter" -l "$letter" "$zh" docs/printed-page-zh-Hans
pdftoppm -r 50 -png -singlefile -f 1 -l 1 "$ug" docs/printed-page-ug
ls -l docs/printed-page-*.png
