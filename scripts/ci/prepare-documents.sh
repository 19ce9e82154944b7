#!/usr/bin/env bash
# CI: the printed documents (roster submit --pdf, audit report) are set in Debian's Noto Sans CJK,
# and their tests read them back with poppler (pdftotext, pdftoppm, pdfinfo). Install both when
# missing; nothing else is downloaded.
set -euo pipefail

FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
missing=()
[ -f "$FONT" ] || missing+=(fonts-noto-cjk)
command -v pdftoppm >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1 && command -v pdfinfo >/dev/null 2>&1 ||
  missing+=(poppler-utils)
if [ ${#missing[@]} -eq 0 ]; then
  echo "documents: $FONT and poppler-utils present"
  exit 0
fi

bash "$(dirname "$0")/apt-install.sh" "${missing[@]}"
