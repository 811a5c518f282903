#!/usr/bin/env bash
# The README's test command (`npm test`): installs what the suite needs on a fresh machine, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false

npm install --no-audit --no-fund --loglevel=error

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work on these machines.
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi

npx nx run-many -t lint test build --parallel=2 --outputStyle=static "$@"

# Browser suites: the real Voice SDK in Chromium against the sandbox (and, for e2e, the API and the softphone).
# One browser each; run one after the other so neither competes for the two cores.
npx nx run-many -t browser-test e2e --parallel=1 --outputStyle=static "$@"
