"""Test-wide setup: Qt runs offscreen, so GUI tests work without a screen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
