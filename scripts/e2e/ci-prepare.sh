#!/usr/bin/env bash
# CI: the residents' end-to-end test (npm run test:e2e) drives Debian's Chromium through
# playwright-core. Install it when it is missing; nothing else is downloaded.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ci-prepare: /usr/bin/chromium is missing and this user cannot install it (not root, no sudo)" >&2
    exit 1
  fi
fi
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium
/usr/bin/chromium --version
