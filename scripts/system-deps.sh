#!/usr/bin/env bash
# Installs the Debian packages clausekit needs beyond Python: the CJK and
# Liberation fonts for PDF output, poppler-utils for the PDF tests,
# Chromium for the site's browser tests and LibreOffice (headless Writer) for
# the Word-native DOCX tests. Installs only what is missing: with everything
# there it changes nothing and exits 0, as root or not.
set -euo pipefail

# True when fontconfig knows a font of this family. No pipe: under pipefail,
# `fc-list | grep -q` fails at random when grep exits before fc-list has written
# everything (SIGPIPE, exit 141).
has_font() {
  local found
  found="$(fc-list "$1" family 2>/dev/null || true)"
  [ -n "$found" ]
}

need=()
if ! command -v fc-list >/dev/null; then
  need+=(fontconfig fonts-noto-cjk)
elif ! has_font "Noto Serif CJK SC"; then
  need+=(fonts-noto-cjk)
fi
has_font "Liberation Serif" || need+=(fonts-liberation2)
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
