#!/usr/bin/env bash
# The query page's YASGUI, from the npm registry, copied next to the server's
# static files so the page works offline. Idempotent: skips when up to date.
set -euo pipefail
cd "$(dirname "$0")/../.."
# The query page's test loads it in headless Chromium (Debian's package).
if ! command -v chromium >/dev/null && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
target=kg/web/static/vendor/yasgui
if [ -f "$target/yasgui.min.js" ] && [ "$target/.stamp" -nt web/package-lock.json ]; then
  exit 0
fi
if ! command -v npm >/dev/null; then
  echo "yasgui.sh: npm is needed to install the query page (apt-get install npm)" >&2
  exit 1
fi
(cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error)
mkdir -p "$target"
cp web/node_modules/@triply/yasgui/build/yasgui.min.js \
   web/node_modules/@triply/yasgui/build/yasgui.min.css \
   web/node_modules/@triply/yasgui/build/yasgui.min.js.LICENSE.txt "$target/"
touch "$target/.stamp"
