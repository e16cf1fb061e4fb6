#!/usr/bin/env bash
# Install the Debian packages Loa needs. Idempotent: skips what is already there.
#   tesseract-ocr(-vie), ocrmypdf, poppler-utils: OCR of scanned plan PDFs
#   postgresql: the second database the test suite runs on
#   chromium: browser tests
#   libreoffice-writer-nogui: tests open the generated .docx reports in LibreOffice
#   fonts-liberation2: Liberation Serif, metric-compatible with Times New Roman (reports)
#   fonts-noto-core: Vietnamese glyphs for generated PDFs
#   wrk: HTTP load generator for the assistant benchmark (make bench)
#   espeak-ng: offline Vietnamese text-to-speech for the weekly radio segment
#   gettext: msgfmt, to compile loa/content/locale after editing its .po files
#   redis-server: cache, sessions and task queue of multi-process deployments (REDIS_URL);
#     the scale-out test and make bench-load start their own on loopback
set -euo pipefail
PACKAGES=(tesseract-ocr tesseract-ocr-vie ocrmypdf poppler-utils postgresql chromium fonts-noto-core fonts-liberation2 libreoffice-writer-nogui libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 wrk espeak-ng nginx-light redis-server gettext)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "Cài gói hệ thống: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
