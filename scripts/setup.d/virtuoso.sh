#!/usr/bin/env bash
# Virtuoso (Debian's virtuoso-opensource): the external SPARQL store the tests
# run the --store-url path against. The test fixture starts it on loopback.
set -euo pipefail
if command -v virtuoso-t >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: no apt-get here; install virtuoso-opensource to run the external-store tests" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "setup: not root; install virtuoso-opensource to run the external-store tests" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends virtuoso-opensource >/dev/null
# The package may start its own instance on the default ports; the tests use their own.
if command -v service >/dev/null 2>&1; then
  $SUDO service virtuoso-opensource-7 stop >/dev/null 2>&1 || true
fi
