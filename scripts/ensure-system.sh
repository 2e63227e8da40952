#!/usr/bin/env bash
# Installs the Debian packages the portal needs where they are missing, or says exactly what to
# install when it cannot (not root). Safe to run every time: it installs nothing present.
#   scripts/ensure-system.sh run    what running needs (`make run`)
#   scripts/ensure-system.sh test   that, and what the tests need (`make test`)
#   scripts/ensure-system.sh bench  that, and what `make bench` needs (wrk)
# To add a package, add one line to RUN_NEEDS or TEST_NEEDS: "<check> <packages…>", where the check
# is cmd:NAME (a command on PATH), file:PATH (a file that exists), lib:NAME (a shared library
# ldconfig knows), font:PATTERN (fc-list matches) or py:MODULE (the chosen Python imports it).
set -euo pipefail
mode=${1:-run}
# Debian keeps ldconfig in /sbin, which a normal user's PATH leaves out.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

RUN_NEEDS=(
  "cmd:npm nodejs npm"                                # the asset packages (Bootstrap, htmx, Sarabun)
  "cmd:msgfmt gettext"                                # compiles the Thai message catalogue
  "cmd:msgattrib gettext"
  "lib:libpangoft2-1.0 libpango-1.0-0 libpangoft2-1.0-0"  # WeasyPrint renders PDFs with Pango
  "font:tlwg|garuda|laksaman fonts-thai-tlwg"         # Thai fonts for PDFs
)
TEST_NEEDS=(
  "file:/usr/bin/chromium chromium"                   # browser tests (Playwright drives it)
  "cmd:zbarimg zbar-tools"                            # decode QR codes
  "cmd:pdftoppm poppler-utils"                        # rasterise PDFs
  "cmd:qpdf qpdf"                                     # checks the structure of the generated PDFs
  "cmd:redis-server redis-server"                     # the fault tests kill a Redis of their own
  "cmd:soffice libreoffice-writer-nogui libreoffice-calc-nogui"  # generated Word/Excel opened in LibreOffice
  "cmd:java default-jre-headless"                     # runs the W3C checker (vnu.jar) on the public pages
  "file:/usr/share/java/preflight.jar libpdfbox2-java" # PDFBox Preflight, the PDF/A validator (tests/pdfa.py)
  "file:/usr/share/java/javax.activation.jar libactivation-java"  # ...and the two Java EE APIs it needs
  "file:/usr/share/java/jaxb-api.jar libjaxb-api-java"
)
BENCH_NEEDS=(
  "cmd:wrk wrk"                                       # the HTTP load generator of make bench
)

here=$(cd "$(dirname "$0")" && pwd)
missing=()
if python=$("$here/find-python.sh"); then
  "$python" -c "import ensurepip, venv" 2>/dev/null || missing+=("$(basename "$python")-venv")
else
  missing+=(python3 python3-venv)
fi

present() {
  local check=$1
  case "$check" in
    cmd:*) command -v "${check#cmd:}" >/dev/null ;;
    file:*) [ -e "${check#file:}" ] ;;
    # No `grep -q` after a pipe: it stops reading at the first match, the writer dies of SIGPIPE,
    # and with pipefail the check would report the package missing when it is there.
    lib:*) ldconfig -p 2>/dev/null | grep "${check#lib:}" >/dev/null ;;
    font:*) fc-list 2>/dev/null | grep -i -E "${check#font:}" >/dev/null ;;
    py:*) [ -n "${python:-}" ] && "$python" -c "import ${check#py:}" 2>/dev/null ;;
  esac
}

needs=("${RUN_NEEDS[@]}")
case "$mode" in
  test) needs+=("${TEST_NEEDS[@]}") ;;
  bench) needs+=("${TEST_NEEDS[@]}" "${BENCH_NEEDS[@]}") ;;
esac
for line in "${needs[@]}"; do
  read -r check packages <<<"$line"
  if ! present "$check"; then
    read -r -a more <<<"$packages"
    missing+=("${more[@]}")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
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
