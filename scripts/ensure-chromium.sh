#!/bin/sh
# Make sure a Chromium exists for the browser tests: Debian's chromium if present; else
# install it with apt-get when running as root; else Playwright's own download.
set -e
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (apt-get)..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "No system chromium; downloading Playwright's Chromium..."
"${PY:-python3}" -m playwright install chromium
