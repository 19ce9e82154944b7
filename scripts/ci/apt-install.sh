#!/usr/bin/env bash
# Installs the Debian packages named as arguments with apt-get, as root or through sudo; one clear
# line and exit 1 when neither is possible. Used by the scripts that prepare CI and the tests.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "apt-install: $* missing and this user cannot install them (not root, no sudo): apt-get install $*" >&2
    exit 1
  fi
fi
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
