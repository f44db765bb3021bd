#!/usr/bin/env bash
# Install the Debian packages the project needs, only those that are missing.
# weasyprint needs Pango; the database tests need PostgreSQL; the browser tests need
# Chromium; reports embed DejaVu fonts; pdftoppm renders report pages for review.
set -euo pipefail
packages=(postgresql libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
          chromium poppler-utils)
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
