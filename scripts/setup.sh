#!/usr/bin/env bash
# Installs what the terminal needs on Debian/Ubuntu, then the npm packages.
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(pcscd libpcsclite-dev pcsc-tools vsmartcard-vpcd xvfb chromium fonts-wqy-microhei sqlite3 time python3 make g++ xauth postgresql stress-ng)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Electron binary comes from outside the npm registry; where it cannot be fetched the
# package still installs (types, electron-vite builds) and the app runs in Chromium instead.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
npm ci --no-audit --no-fund
if [ "${CI:-}" != "true" ] && [ ! -e node_modules/electron/dist ]; then
  if ! (unset ELECTRON_SKIP_BINARY_DOWNLOAD; timeout 120 node node_modules/electron/install.js) >/dev/null 2>&1; then
    echo "setup: the Electron binary could not be downloaded; 'npm start' will open the app in Chromium."
  fi
fi
echo "setup: done"
