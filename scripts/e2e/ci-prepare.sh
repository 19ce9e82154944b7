#!/usr/bin/env bash
# CI: the residents' end-to-end test (npm run test:e2e) drives Debian's Chromium through
# playwright-core. Install it when it is missing; nothing else is downloaded.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo present)"
  exit 0
fi

bash "$(dirname "$0")/../ci/apt-install.sh" chromium
/usr/bin/chromium --version
