#!/usr/bin/env bash
# The browser specs drive Debian's chromium through playwright-core (Playwright's own browser
# download cannot be reached from these machines): install it when missing, as root via apt-get.
set -euo pipefail
bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$bin" ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "console browser tests: $bin is missing; install Debian's chromium (sudo apt-get install -y chromium) or set CHROMIUM_PATH" >&2
  exit 1
fi
echo "console browser tests: installing Debian's chromium (apt-get)" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
[ -x "$bin" ] || { echo "console browser tests: chromium installed but $bin not found; set CHROMIUM_PATH" >&2; exit 1; }
