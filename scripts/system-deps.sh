#!/usr/bin/env bash
# Installs the Debian packages clausekit needs beyond Python: the CJK and
# Liberation fonts for PDF output, poppler-utils for the PDF tests,
# Chromium for the site's browser tests and LibreOffice (headless Writer) for
# the Word-native DOCX tests. Installs only what is missing.
set -euo pipefail
need=()
[ -d /usr/share/fonts/opentype/noto ] && fc-list 2>/dev/null | grep -q "Noto Serif CJK SC" || need+=(fonts-noto-cjk fontconfig)
[ -d /usr/share/fonts/truetype/liberation2 ] || need+=(fonts-liberation2)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
command -v chromium >/dev/null || need+=(chromium)
command -v soffice >/dev/null || need+=(libreoffice-writer-nogui)
command -v git >/dev/null || need+=(git)  # review, history, `clausekit init`
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${need[*]}; run: sudo apt-get install -y ${need[*]}" >&2
  exit 3
fi
echo "installing system packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
