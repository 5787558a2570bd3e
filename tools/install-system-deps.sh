#!/usr/bin/env bash
# Debian packages the book needs beyond Python: Chromium prints the PDF and drives the
# browser tests, poppler-utils checks and renders the PDF, the fonts cover the Latin and
# Chinese text of the articles, shellcheck lets actionlint check the workflow's shell steps.
# Installs only what is missing; idempotent. Written for Debian 12 (bookworm), the system
# the README and the CI container (python:3.11-bookworm) assume.
set -euo pipefail
packages=(chromium poppler-utils fonts-dejavu-core fonts-wqy-microhei ca-certificates shellcheck)
# `make env` runs `python3 -m venv`, which needs ensurepip: Debian's own python3 has it only
# with python3-venv; a python3 built from source (the CI image's, pyenv's) has it already.
python3 -c 'import ensurepip' >/dev/null 2>&1 || packages+=(python3-venv)
# Node.js and npm install axe-core (package-lock.json) for the browser tests' accessibility audit.
command -v node >/dev/null 2>&1 || packages+=(nodejs npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
# On Ubuntu, `chromium` is a transitional package that installs a snap, which cannot run
# headless from a build (no snapd in containers; AppArmor and sandbox failures on the runners).
# shellcheck source=/dev/null
os_id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
if [ "$os_id" = "ubuntu" ] && [[ " ${missing[*]} " == *" chromium "* ]]; then
  echo "install-system-deps: this is Ubuntu, where the 'chromium' package is a wrapper for a snap" >&2
  echo "  that the headless PDF print and browser tests cannot use. Run the commands in Debian 12" >&2
  echo "  (e.g. the container python:3.11-bookworm, as .github/workflows/book.yml does)." >&2
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
