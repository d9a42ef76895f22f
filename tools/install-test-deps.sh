#!/usr/bin/env bash
# Installs what the sandbox's outside-in tests need beyond the .NET SDK:
#   - Chromium (Debian's package) for the inbox page test (InboxPageBrowserTests),
#     plus a CJK font so Chinese message text is readable in screenshots;
#   - the official Lark Node SDK (tests/conformance, from its package-lock.json)
#     for the conformance test (NodeSdkConformanceTests).
# Safe to run again: each step checks first and does nothing when already done.
# Needs: Debian/Ubuntu (apt). Root (or sudo) only when Chromium or node/npm are missing.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
conformance_dir="$repo_root/tests/conformance"

say() { printf 'install-test-deps: %s\n' "$*"; }
fail() { printf 'install-test-deps: ERROR: %s\n' "$*" >&2; exit 1; }

find_chromium() {
  local candidate
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [[ -n "$candidate" && -x "$candidate" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  return 1
}

# Runs apt-get as root directly, or through sudo when available; fails with advice otherwise.
apt_get() {
  if [[ $EUID -eq 0 ]]; then
    DEBIAN_FRONTEND=noninteractive apt-get "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo DEBIAN_FRONTEND=noninteractive apt-get "$@"
  else
    fail "need root to run 'apt-get $*': re-run this script as root, or install the package yourself"
  fi
}

apt_updated=0
apt_update_once() {
  if [[ $apt_updated -eq 0 ]]; then
    say "apt-get update"
    apt_get update -qq
    apt_updated=1
  fi
}

package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# --- Chromium ------------------------------------------------------------------------------
if chromium_path="$(find_chromium)"; then
  say "Chromium present: $chromium_path ($("$chromium_path" --version 2>/dev/null || echo 'version unknown'))"
else
  command -v apt-get >/dev/null 2>&1 || fail "Chromium is missing and this is not an apt-based system: install Chromium and set CHROMIUM_PATH"
  apt_update_once
  say "installing chromium (Debian package)"
  apt_get install -y -qq --no-install-recommends chromium
  chromium_path="$(find_chromium)" || fail "chromium was installed but no executable was found at /usr/bin/chromium"
  say "Chromium installed: $chromium_path"
fi

# A CJK font (~7 MB) so zh_cn content renders as text, not boxes, in screenshots. Optional.
if command -v apt-get >/dev/null 2>&1 && ! package_installed fonts-wqy-zenhei; then
  if [[ $EUID -eq 0 ]] || command -v sudo >/dev/null 2>&1; then
    apt_update_once
    say "installing fonts-wqy-zenhei (CJK font for screenshots)"
    apt_get install -y -qq --no-install-recommends fonts-wqy-zenhei \
      || say "warning: could not install fonts-wqy-zenhei; Chinese text will show as boxes in screenshots"
  else
    say "warning: not root, skipping fonts-wqy-zenhei; Chinese text may show as boxes in screenshots"
  fi
fi

# --- Node SDK -----------------------------------------------------------------------------
# Node.js 18 or later runs the SDK; Debian 12's own nodejs (18.x) is enough when none is installed.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  command -v apt-get >/dev/null 2>&1 || fail "node/npm are missing: install Node.js 18 or later with npm"
  apt_update_once
  say "installing nodejs and npm (Debian packages)"
  apt_get install -y -qq --no-install-recommends nodejs npm
fi
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[[ "$node_major" -ge 18 ]] || fail "node $(node --version) is too old: the Lark Node SDK needs Node.js 18 or later"

sdk_marker="$conformance_dir/node_modules/@larksuiteoapi/node-sdk/package.json"
wanted_version="$(node -e 'console.log(require(process.argv[1]).dependencies["@larksuiteoapi/node-sdk"])' "$conformance_dir/package.json")"
have_version=""
if [[ -f "$sdk_marker" ]]; then
  have_version="$(node -e 'console.log(require(process.argv[1]).version)' "$sdk_marker")"
fi
if [[ "$have_version" == "$wanted_version" ]]; then
  say "Lark Node SDK $have_version present in tests/conformance/node_modules"
else
  say "npm ci in tests/conformance (@larksuiteoapi/node-sdk $wanted_version)"
  (cd "$conformance_dir" && npm ci --prefer-offline --no-audit --no-fund)
fi

say "done: node $(node --version), npm $(npm --version), $("$chromium_path" --version 2>/dev/null || echo chromium)"
