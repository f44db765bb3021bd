#!/usr/bin/env bash
# Install the Debian packages the project needs, only those that are missing.
# The app: weasyprint needs Pango; reports embed DejaVu fonts.
# With --test also what the tests need: PostgreSQL for the database tests, Chromium for the
# browser tests, poppler-utils (pdftoppm to render report pages for review, pdftotext for
# the attack suite to read the figures a report prints).
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
if [ "${1:-}" = "--test" ]; then
  packages+=(postgresql chromium poppler-utils)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "Debian-pakketten installeren: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
