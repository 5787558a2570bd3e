#!/usr/bin/env bash
# Debian packages the book needs beyond Python: Chromium prints the PDF and drives the
# browser tests, poppler-utils checks and renders the PDF, the fonts cover the Latin and
# Chinese text of the articles. Installs only what is missing; idempotent.
set -euo pipefail
packages=(chromium poppler-utils fonts-dejavu-core fonts-wqy-microhei python3-venv ca-certificates)
# Node.js and npm install axe-core (package-lock.json) for the browser tests' accessibility audit.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
