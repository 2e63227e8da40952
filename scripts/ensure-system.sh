#!/usr/bin/env bash
# Installs the system packages the portal needs where they are missing (Debian), or says exactly
# what to install when it cannot (not root). Safe to run every time: it installs nothing present.
#   Python 3.11 + venv, Node/npm   — the interpreter and the asset packages
#   gettext                        — compiles the Thai message catalogue
#   Pango (libpango*)              — WeasyPrint renders PDFs with it
#   fonts-thai-tlwg                — Thai fonts for PDFs (Sarabun for the web comes from npm)
#   chromium                       — browser tests (Playwright drives /usr/bin/chromium)
#   zbar-tools, poppler-utils      — tests decode QR codes (zbarimg) from rasterised PDFs (pdftoppm)
#   libreoffice-{writer,calc}-nogui — tests convert the generated Word and Excel files (soffice)
set -euo pipefail

missing=()
command -v python3.11 >/dev/null || missing+=(python3.11 python3.11-venv)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v msgfmt >/dev/null || missing+=(gettext)
command -v msgattrib >/dev/null || missing+=(gettext)
# No `grep -q` after a pipe: it stops reading at the first match, the writer dies of SIGPIPE, and
# with pipefail the check would report the package missing when it is there.
ldconfig -p 2>/dev/null | grep libpangoft2-1.0 >/dev/null || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
fc-list 2>/dev/null | grep -i -E "tlwg|garuda|laksaman" >/dev/null || missing+=(fonts-thai-tlwg)
command -v zbarimg >/dev/null || missing+=(zbar-tools)     # tests decode the QR codes
command -v pdftoppm >/dev/null || missing+=(poppler-utils) # tests rasterise the signs
[ -x /usr/bin/chromium ] || missing+=(chromium)
# Tests only: the generated Word and Excel files are opened in LibreOffice (tests/test_documents_libreoffice.py).
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
# de-duplicate
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages. Install them with:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
