#!/bin/sh
# Finds or installs headless Chromium for the browser tests of the HTML report
# (tests/it/report_browser.rs, tests/it/cli_plan.rs). Those tests run this script by
# themselves (tests/it/common) when CHROMIUM is unset and `chromium` is not on PATH, so
# `cargo test --workspace` needs no manual step on a Debian machine where it runs as root
# or with password-less sudo. Elsewhere, run it once by hand (it asks sudo for a password
# when run from a terminal), or set CHROMIUM=/path/to/chromium.
#
# Idempotent; concurrent runs take turns on a lock file, so apt runs at most once.
# On success the last line of stdout is the path of chromium.
set -eu

found() {
    command -v chromium >/dev/null 2>&1
}

if found; then
    command -v chromium
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=
elif command -v sudo >/dev/null 2>&1; then
    # From a test (no terminal) sudo must not wait for a password nobody can type.
    if [ -t 0 ]; then SUDO=sudo; else SUDO="sudo -n"; fi
else
    echo "cannot install chromium: not root, and no sudo" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "cannot install chromium: no apt-get on this machine" >&2
    exit 1
fi

# One installer at a time; whoever waited finds chromium already there.
if command -v flock >/dev/null 2>&1; then
    exec 9>"${TMPDIR:-/tmp}/vastplan-ensure-chromium.lock"
    flock 9
    if found; then
        command -v chromium
        exit 0
    fi
fi

echo "installing chromium with apt-get (scripts/ensure-chromium.sh)" >&2
export DEBIAN_FRONTEND=noninteractive
# apt's own locks may be held by another apt (unattended upgrades, another checkout).
$SUDO apt-get -o DPkg::Lock::Timeout=300 update
$SUDO apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium fonts-dejavu-core
if ! found; then
    echo "apt-get installed chromium but it is not on PATH" >&2
    exit 1
fi
command -v chromium
