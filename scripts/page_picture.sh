#!/usr/bin/env bash
# Make the README's pictures of printed pages from the built PDFs (run after guidegen build).
set -euo pipefail
cd "$(dirname "$0")/.."
site=${1:-build/site}  # or the site folder of another build

# first page of a PDF whose first line shows the given text (a letter sheet starts with its title)
page_with() {
  local pdf=$1 text=$2 pages
  pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
  for ((n = 1; n <= pages; n++)); do
    if pdftotext -f "$n" -l "$n" "$pdf" - | head -1 | grep -q "$text"; then echo "$n"; return; fi
  done
  echo 1
}

en=$site/en/dishonest-list-removal/dishonest-list-removal.en.pdf
zh=$site/zh-Hans/dishonest-list-removal/dishonest-list-removal.zh-Hans.pdf
ug=$site/ug/dishonest-list-removal/dishonest-list-removal.ug.pdf
pdftoppm -r 50 -png -singlefile -f 1 -l 1 "$en" docs/printed-page-en
letter=$(page_with "$zh" "纠正申请书：请求删除失信信息")  # the first letter sheet
pdftoppm -r 50 -png -singlefile -f "$letter" -l "$letter" "$zh" docs/printed-page-zh-Hans
pdftoppm -r 50 -png -singlefile -f 1 -l 1 "$ug" docs/printed-page-ug
vi=$site/vi/dishonest-list-removal/dishonest-list-removal.vi.pdf
letter=$(page_with "$vi" "纠正申请书：请求删除失信信息")  # the same sheet, labels in Vietnamese
pdftoppm -r 50 -png -singlefile -f "$letter" -l "$letter" "$vi" docs/printed-letter-vi
ls -l docs/printed-page-*.png
