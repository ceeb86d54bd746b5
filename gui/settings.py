"""What the program remembers between runs (QSettings), and the load/check/save cycle of every page.

Remembered: recent workspace paths, the window geometry and the last step per workspace. Never a
name, a phone number, a text of the department or any password: those live in the workspace only.

Pages follow Picard's options pages: `load()` fills the widgets from the workspace, `check()`
says what is wrong, `save()` writes back. Autosave calls `save()` after a short pause in typing,
on focus-out and before the window closes; there is no Save button.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStackedWidget, QWidget

from forms.base.findings import Finding
from forms.store.schema import WorkspaceError
from gui import style

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

ORGANISATION = "Baosong"
APPLICATION = "报送助手"
MAX_RECENT = 8
SAVE_DELAY_MS = 800


class AppSettings:
    """The program's QSettings (an ini file of the user), or a given ini file in tests."""

    def __init__(self, path: str | Path | None = None) -> None:
        if path is None:
            self.q = QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)
        else:
            self.q = QSettings(str(path), QSettings.Format.IniFormat)

    def _list(self, key: str) -> list[str]:
        try:
            value = json.loads(str(self.q.value(key, "[]")))
        except ValueError:
            return []
        return [str(v) for v in value] if isinstance(value, list) else []

    def recent(self) -> list[str]:
        return self._list("recent")

    def add_recent(self, path: str | Path) -> None:
        text = str(Path(path).resolve())
        paths = [text] + [p for p in self.recent() if p != text]
        self.q.setValue("recent", json.dumps(paths[:MAX_RECENT], ensure_ascii=False))

    def remove_recent(self, path: str | Path) -> None:
        text = str(Path(path).resolve())
        self.q.setValue("recent", json.dumps([p for p in self.recent() if p != text], ensure_ascii=False))

    def geometry(self) -> QByteArray | None:
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_geometry(self, geometry: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)

    @staticmethod
    def _step_key(path: str | Path) -> str:
        return "steps/" + hashlib.sha1(str(Path(path).resolve()).encode("utf-8")).hexdigest()[:16]

    def last_step(self, path: str | Path) -> str:
        return str(self.q.value(self._step_key(path), "") or "")

    def set_last_step(self, path: str | Path, key: str) -> None:
        self.q.setValue(self._step_key(path), key)

    def sync(self) -> None:
        self.q.sync()


def workspace_busy() -> bool:
    """True while a background job (gui.worker) owns the workspace: saving and re-reading wait for it."""
    try:
        from gui import worker
    except ImportError:
        return False
    return bool(worker.busy())


class Debounce(QObject):
    """Runs `callback` once typing has paused for `delay_ms`; `flush()` runs it now if it is pending."""

    def __init__(self, parent: QObject, delay_ms: int, callback: Callable[[], object]) -> None:
        super().__init__(parent)
        self._callback = callback
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._run)

    def start(self) -> None:
        self._timer.start()

    def pending(self) -> bool:
        return self._timer.isActive()

    def cancel(self) -> None:
        self._timer.stop()

    def flush(self) -> None:
        if self._timer.isActive():
            self._timer.stop()
            self._run()

    def _run(self) -> None:
        self._callback()


class Page(QWidget):
    """A step's page: load/check/save over the workspace, saved after a pause, on focus-out and on close."""

    saved = Signal()  # something was written to the workspace (title time, guide status follow)
    status = Signal(str)  # a line for the status bar

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ws = ws
        self.undo_stack: QUndoStack | None = None
        self._dirty = False
        self._autosave = Debounce(self, SAVE_DELAY_MS, self.flush)

    def load(self) -> None:
        """Fill the widgets from the workspace."""

    def check(self) -> list[Finding]:
        """What is wrong on this page now."""
        return []

    def save(self) -> None:
        """Write the widgets to the workspace."""

    def edited(self) -> None:
        """Something was typed: save once typing pauses."""
        self._dirty = True
        self._autosave.start()

    def flush(self) -> bool:
        """Save now if anything is unsaved; False when saving failed (the text stays on screen)."""
        if not self._dirty:
            return True
        if workspace_busy():
            self._autosave.start()  # a job owns the workspace now: save once it is done
            return True
        self._autosave.cancel()
        try:
            self.save()
        except (sqlite3.Error, OSError, WorkspaceError) as exc:
            reason = exc.message if isinstance(exc, WorkspaceError) else str(exc)
            style.warn(self, "保存失败", style.SAVE_FAILED.format(reason=reason))
            return False
        self._dirty = False
        self.saved.emit()
        return True

    def watch(self, *widgets: QWidget) -> None:
        """Save when focus leaves any of these widgets."""
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut:
            self.flush()
        return super().eventFilter(watched, event)


def dispose(stack: QStackedWidget, widget: QWidget, later: bool = False) -> None:
    """Take a widget out of a stack and delete it: now, or (when it may be mid-signal) on the next pass
    of the event loop. It leaves the widget tree first, so a deletion still pending when the window
    itself goes can never reach a half-destroyed parent."""
    stack.removeWidget(widget)
    widget.hide()
    widget.setParent(None)
    if later:
        _pending_deletion[:] = [w for w in _pending_deletion if shiboken6.isValid(w)] + [widget]
        widget.deleteLater()
    else:
        shiboken6.delete(widget)


_pending_deletion: list[QWidget] = []
