#!/bin/sh
# Run pytest with a real Secret Service (gnome-keyring) so the credential-store tests do not skip.
#
#   tests/packaging/run_with_keyring.sh [pytest arguments]    (default: tests/packaging)
#
# Needs gnome-keyring and dbus-run-session:
#   apt-get install -y --no-install-recommends gnome-keyring dbus
# A private session bus and a throw-away HOME keep the developer's own keyring out of it; the
# daemon is unlocked with a dummy password (without --unlock storing fails with "Prompt dismissed").
# BAOSONG_REQUIRE_SECRET_SERVICE=1 makes the keyring tests fail instead of skip if it still is not there.
set -eu

for tool in dbus-run-session gnome-keyring-daemon; do
    command -v "$tool" >/dev/null 2>&1 || {
        echo "$tool is missing: apt-get install -y --no-install-recommends gnome-keyring dbus" >&2
        exit 1
    }
done

repo=$(cd "$(dirname "$0")/../.." && pwd)
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT INT TERM
[ "$#" -gt 0 ] || set -- tests/packaging

cd "$repo"
HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
XDG_CACHE_HOME="$home/.cache" BAOSONG_REQUIRE_SECRET_SERVICE=1 \
    dbus-run-session -- sh -c '
        echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
        exec python -m pytest "$@"
    ' run_with_keyring "$@"
