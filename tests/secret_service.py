"""A private D-Bus session with an unlocked gnome-keyring for the test run, when the machine has them.

So that plain `python -m pytest` (README's command, which CI runs) exercises the real Secret Service
backend instead of skipping it. A throw-away HOME keeps any developer's own keyring out of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def private_secret_service() -> Iterator[bool]:
    """Yield True with DBUS_SESSION_BUS_ADDRESS pointing at a private bus that has an unlocked keyring."""
    if os.environ.get("DBUS_SESSION_BUS_ADDRESS") or not (
            shutil.which("dbus-daemon") and shutil.which("gnome-keyring-daemon")):
        yield bool(os.environ.get("DBUS_SESSION_BUS_ADDRESS"))
        return
    home = tempfile.mkdtemp(prefix="baosong-keyring-")
    env = {**os.environ, "HOME": home, "XDG_DATA_HOME": f"{home}/.local/share",
           "XDG_CONFIG_HOME": f"{home}/.config", "XDG_RUNTIME_DIR": home}
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"],
                           stdout=subprocess.PIPE, text=True, env=env)
    assert bus.stdout is not None
    address = bus.stdout.readline().strip()
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    keyring_daemon = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets"],
                                    input="test", capture_output=True, text=True, env=env, timeout=30)
    saved = {k: os.environ.get(k) for k in ("DBUS_SESSION_BUS_ADDRESS", "XDG_RUNTIME_DIR", "XDG_DATA_HOME")}
    os.environ.update({k: env[k] for k in saved})
    try:
        yield keyring_daemon.returncode == 0
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        bus.terminate()  # gnome-keyring-daemon leaves with its bus
        bus.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)
