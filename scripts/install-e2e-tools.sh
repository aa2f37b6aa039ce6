#!/usr/bin/env bash
# Installs what the real-VS-Code end-to-end tests (test/e2e/) need, following
# shared/notes/tooling.md "Real VS Code on this machine":
#   - Debian packages (build headers for code-server's native modules, ripgrep, chromium,
#     and the other real peers: neovim, nix-bin, age, pre-commit);
#   - code-server (VS Code in a browser, same Node extension host) in .tools/code-server/;
#   - playwright-core (drives Debian's /usr/bin/chromium; no browser download) in .tools/playwright/.
# Both tool folders are git-ignored (.tools/) and have their own package.json, so nothing
# is added to the project's package.json or package-lock.json.
#
# Idempotent. When a stamp file records that this exact recipe is already installed
# (same versions, same Node ABI) and the key files are present, it exits at once.
# Works unattended (CI=true, no stdin, root). FORCE=1 reinstalls everything.
# E2E_TOOLS_DIR=/abs/dir installs there instead of .tools/ (test/e2e/harness.mjs reads it too).
set -euo pipefail

CODE_SERVER_VERSION=4.100.3      # last code-server line for Node 20 (VS Code 1.100)
PLAYWRIGHT_CORE_VERSION=1.65.1   # drives Debian's chromium 156 over CDP
APT_PACKAGES=(libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev pkg-config ripgrep chromium neovim nix-bin age zsh fish dash docker-registry skopeo pre-commit)
NATIVE_MODULES=(kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog native-watchdog node-pty)
RECIPE=1                         # bump when the steps below change

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="${E2E_TOOLS_DIR:-$ROOT/.tools}"   # E2E_TOOLS_DIR: e.g. a cache outside a fresh CI clone
CS_DIR="$TOOLS/code-server"
CS_PKG="$CS_DIR/node_modules/code-server"
VSCODE_DIR="$CS_PKG/lib/vscode"
PW_DIR="$TOOLS/playwright"
STAMP="$TOOLS/e2e-tools.stamp"

t_start=$(date +%s%N)
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

node_abi=$(node -p 'process.versions.modules')
expected_stamp="recipe=$RECIPE
code-server=$CODE_SERVER_VERSION
playwright-core=$PLAYWRIGHT_CORE_VERSION
node-abi=$node_abi
apt=${APT_PACKAGES[*]}"

missing_apt_packages() {
  # Prints the packages of APT_PACKAGES that dpkg does not have fully installed.
  local out
  out=$(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${APT_PACKAGES[@]}" 2>/dev/null || true)
  local p
  for p in "${APT_PACKAGES[@]}"; do
    grep -qE "^$p ii" <<<"$out" || echo "$p"
  done
}

is_installed() {
  [[ "${FORCE:-}" != 1 ]] || return 1
  [[ -f "$STAMP" && "$(cat "$STAMP")" == "$expected_stamp" ]] || return 1
  [[ -f "$CS_PKG/out/node/entry.js" && -L "$VSCODE_DIR/node_modules.asar" \
     && -x "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg" \
     && -f "$PW_DIR/node_modules/playwright-core/package.json" \
     && -x /usr/bin/chromium ]] || return 1
  [[ -z "$(missing_apt_packages)" ]] || return 1
}

if is_installed; then
  echo "e2e tools: already installed (code-server $CODE_SERVER_VERSION, playwright-core $PLAYWRIGHT_CORE_VERSION), $(ms_since "$t_start") ms"
  exit 0
fi

mkdir -p "$TOOLS"
# Other sessions may share this checkout: one installer at a time.
exec 9>"$TOOLS/.e2e-install.lock"
flock 9
if is_installed; then   # someone else finished it while we waited
  echo "e2e tools: installed by a concurrent run, $(ms_since "$t_start") ms"
  exit 0
fi
rm -f "$STAMP"

export npm_config_yes=true npm_config_fund=false npm_config_audit=false \
       npm_config_update_notifier=false npm_config_loglevel=warn
export DEBIAN_FRONTEND=noninteractive

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "not root and no sudo: cannot apt-get install" >&2; exit 2; }
  SUDO=(sudo -n)
fi

step() {
  # step "description" command args...  — runs the command, prints its duration.
  local name=$1; shift
  local t0; t0=$(date +%s%N)
  echo "==> $name"
  "$@" </dev/null
  echo "    $name: $(ms_since "$t0") ms"
}

apt_install() {
  local missing; missing=$(missing_apt_packages)
  if [[ -z "$missing" ]]; then
    echo "    all Debian packages present"
    return
  fi
  echo "    missing: $(echo $missing)"
  # apt-get update once: only when something has to be installed.
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${APT_PACKAGES[@]}"
}

write_pkg_json() {  # own package.json: without it npm walks up and installs into the project
  local dir=$1 name=$2
  mkdir -p "$dir"
  [[ -f "$dir/package.json" ]] || printf '{\n  "name": "%s",\n  "private": true\n}\n' "$name" >"$dir/package.json"
}

install_code_server() {
  write_pkg_json "$CS_DIR" hwc-e2e-code-server
  (cd "$CS_DIR" && npm install --ignore-scripts --save-exact "code-server@$CODE_SERVER_VERSION")
}

install_vscode_deps() {
  (cd "$VSCODE_DIR" && npm install --omit=dev --ignore-scripts)
}

rebuild_native() {
  # Compiled with node-gyp against this Node's headers; @vscode/spdlog alone takes ~20 s.
  # JOBS=max lets node-gyp run make on both cores (measured gain here: small, within noise).
  (cd "$VSCODE_DIR" && JOBS=max npm rebuild "${NATIVE_MODULES[@]}")
}

copy_ripgrep() {
  # @vscode/ripgrep's own install script downloads a binary and fails here.
  mkdir -p "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin"
  cp -f "$(command -v rg)" "$VSCODE_DIR/node_modules/@vscode/ripgrep/bin/rg"
  ln -sfn node_modules "$VSCODE_DIR/node_modules.asar"
}

rebuild_argon2() {
  (cd "$CS_DIR" && JOBS=max npm rebuild argon2)
}

install_playwright() {
  write_pkg_json "$PW_DIR" hwc-e2e-playwright
  # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: we use Debian's /usr/bin/chromium, never a download.
  (cd "$PW_DIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --save-exact "playwright-core@$PLAYWRIGHT_CORE_VERSION")
}

check() {
  local v
  # --config /dev/null: otherwise code-server writes ~/.config/code-server/config.yaml;
  # XDG_DATA_HOME: otherwise it creates ~/.local/share/code-server/coder-logs.
  local xdg; xdg=$(mktemp -d)
  v=$(XDG_DATA_HOME="$xdg" node "$CS_PKG/out/node/entry.js" --config /dev/null --version | head -1)
  rm -rf "$xdg"
  echo "    code-server --version: $v"
  [[ "$v" == "$CODE_SERVER_VERSION"* ]] || { echo "unexpected code-server version: $v" >&2; return 1; }
  (cd "$VSCODE_DIR" && node -e '
    for (const m of ["kerberos","@parcel/watcher","@vscode/spdlog","native-watchdog","node-pty","@vscode/deviceid"]) require(m);
    console.log("    native modules load: ok")')
  (cd "$CS_DIR" && node -e 'require("argon2"); console.log("    argon2 loads: ok")')
  (cd "$PW_DIR" && node -e 'console.log("    playwright-core " + require("playwright-core/package.json").version)')
  echo "    $(/usr/bin/chromium --version 2>/dev/null)"
}

step "apt-get install (${#APT_PACKAGES[@]} packages)" apt_install
step "npm install code-server@$CODE_SERVER_VERSION" install_code_server
step "lib/vscode: npm install --omit=dev" install_vscode_deps
step "lib/vscode: npm rebuild native modules" rebuild_native
step "lib/vscode: ripgrep + node_modules.asar" copy_ripgrep
step "npm rebuild argon2" rebuild_argon2
step "npm install playwright-core@$PLAYWRIGHT_CORE_VERSION" install_playwright
step "sanity check" check

printf '%s\n' "$expected_stamp" >"$STAMP"
echo "e2e tools: installed in $(ms_since "$t_start") ms"
