"""Long work off the GUI thread: one worker thread, a progress dialog with 取消, results by queued signal.

A job is a plain function `fn(progress) -> result` that runs on a one-thread pool (so writes to the
workspace never overlap). It reports with `progress(done, total)`, which returns False once the clerk
pressed 取消; `progress.check()` raises `Cancelled` instead. The result (or the exception) comes back
to the GUI thread through a queued signal.

`run_modal` shows an application-modal QProgressDialog at once and spins a local event loop until the
job ends: the window keeps painting, but no input reaches any other widget, so nothing on the GUI
thread writes to the workspace while the job does (see `busy()`).
"""

from __future__ import annotations

import errno
import gc
import sqlite3
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from forms.base.file_errors import os_reason

_POOL: QThreadPool | None = None
_RUNNING = 0  # jobs started with run_modal that have not ended yet
SWITCH_INTERVAL = 0.0002  # seconds: how soon a running job hands the GIL to a waiting GUI thread
SETTLE_MS = 40  # the progress dialog shows, the window repaints, then the job starts


def pool() -> QThreadPool:
    """The one-thread pool every job runs on."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setMaxThreadCount(1)
        _POOL.setExpiryTimeout(-1)
    return _POOL


def busy() -> bool:
    """True while a modal job runs: GUI code must not touch the workspace then."""
    return _RUNNING > 0


class Cancelled(Exception):
    """Raised inside a job by `Progress.check()` once the clerk pressed 取消."""


class Progress:
    """What a job sees: `progress(done, total)` reports and says whether to go on."""

    def __init__(self, signals: _Signals) -> None:
        self._signals = signals
        self._cancel = threading.Event()

    def __call__(self, done: int, total: int = 0) -> bool:
        self._signals.progress.emit(int(done), int(total))
        return not self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()


class _Signals(QObject):
    """Lives on the GUI thread; emitted from the worker, so every connection is queued."""

    progress = Signal(int, int)
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], progress: Progress, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._fn, self._progress, self._signals = fn, progress, signals

    def run(self) -> None:
        try:
            result = self._fn(self._progress)
        except BaseException as exc:  # handed to the GUI thread, which decides what to say
            self._signals.failed.emit(exc)
        else:
            self._signals.done.emit(result)


class Job(QObject):
    """A started job: `finished(Outcome)` is emitted on the GUI thread when it ends."""

    finished = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, fn: Callable[[Progress], Any], parent: QObject | None = None, started: bool = True) -> None:
        super().__init__(parent)
        self._fn = fn
        self._signals = _Signals()
        self.progress = Progress(self._signals)
        self._signals.progress.connect(self._on_progress)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self.outcome: Outcome | None = None
        if started:
            self.start()

    def start(self) -> None:
        pool().start(_Task(self._fn, self.progress, self._signals))

    @Slot(int, int)
    def _on_progress(self, done: int, total: int) -> None:
        self.progressed.emit(done, total)

    @Slot(object)
    def _on_done(self, value: object) -> None:
        self._end(Outcome(value=value))

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        cancelled = isinstance(error, Cancelled)
        self._end(Outcome(error=None if cancelled else error, cancelled=cancelled))

    def _end(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.finished.emit(outcome)


@dataclass
class Outcome:
    """How a job ended: its value, or the exception it raised, or cancelled."""

    value: Any = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


def start(fn: Callable[[Progress], Any], on_done: Callable[[Outcome], None], parent: QObject | None = None) -> Job:
    """Run `fn` in the background without a dialog (e.g. counting errors for a preview)."""
    job = Job(fn, parent)
    job.finished.connect(on_done)
    return job


class InlineProgress:
    """The Progress of a job run on the GUI thread because it is small: never cancelled."""

    cancelled = False

    def __call__(self, done: int, total: int = 0) -> bool:
        return True

    def check(self) -> None:
        return None


def run(parent: QWidget | None, label: str, fn: Callable[[Any], Any], background: bool,
        cancellable: bool = True) -> Outcome:
    """Run `fn` here when it is small, else behind the progress dialog; exceptions become the Outcome."""
    if background:
        return run_modal(parent, label, fn, cancellable)
    try:
        return Outcome(value=fn(InlineProgress()))
    except Cancelled:
        return Outcome(cancelled=True)
    except Exception as exc:  # the caller turns it into a message box
        return Outcome(error=exc)


def run_modal(parent: QWidget | None, label: str, fn: Callable[[Any], Any],
              cancellable: bool = True) -> Outcome:
    """Run `fn` off the GUI thread behind an application-modal progress dialog; returns when it ended.

    The dialog is shown at once, so Qt itself keeps every input from the rest of the program while the
    job writes. No Python code runs per event meanwhile, and the GIL is handed back to the GUI thread
    every 0.2 ms (not Python's 5 ms), so painting stays quick while the worker runs Python. The cyclic
    garbage collector waits until the job is done, then what the job built is frozen out of its scans.
    """
    global _RUNNING
    dialog = _dialog(parent, label, cancellable)
    loop = QEventLoop()
    interval = sys.getswitchinterval()
    _RUNNING += 1
    sys.setswitchinterval(SWITCH_INTERVAL)
    gc.disable()  # a full collection over 50 000 rows' objects would stop both threads for 100 ms and more
    try:
        job = Job(fn, started=False)
        job.progressed.connect(lambda done, total: _show(dialog, done, total))
        job.finished.connect(lambda _outcome: loop.quit())
        dialog.canceled.connect(job.progress.cancel)
        dialog.canceled.connect(lambda: dialog.setLabelText("正在取消，请稍候…"))
        # the window repaints once as the dialog takes the focus: let it, before a job competes for the GIL
        QTimer.singleShot(SETTLE_MS, job.start)
        loop.exec()
    finally:
        gc.enable()
        gc.freeze()  # what the job built (rows, indexes) stays: later collections need not walk it again
        sys.setswitchinterval(interval)
        _RUNNING -= 1
        dialog.hide()
        dialog.deleteLater()
    assert job.outcome is not None
    return job.outcome


def _dialog(parent: QWidget | None, label: str, cancellable: bool) -> QProgressDialog:
    dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
    if not cancellable:
        dialog.setCancelButton(None)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setMinimumWidth(360)
    dialog.show()
    return dialog


def _show(dialog: QProgressDialog, done: int, total: int) -> None:
    if total > 0 and dialog.maximum() != total:
        dialog.setMaximum(total)
    if total > 0:
        dialog.setValue(min(done, total))


def error_message(exc: BaseException) -> str:
    """What to tell the clerk about a failure they can do something about (one Chinese paragraph)."""
    message = getattr(exc, "message", None)
    if isinstance(message, str) and message:
        return message  # ReadError, WorkspaceError, ExportError already say what to do
    text = str(exc).lower()
    if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "disk is full" in text:
        return "磁盘空间已满，这一步没有完成。请清理磁盘或换一个有空间的位置后再试；之前录入的内容都已保存。"
    if isinstance(exc, PermissionError):
        return ("没有权限写入该位置：文件可能正被Excel或WPS打开，或者文件夹是只读的。"
                "请关闭该文件或换一个文件夹后再试。")
    if isinstance(exc, sqlite3.Error):
        return (f"工作区文件读写出错（{exc}），这一步没有完成。请确认磁盘空间充足、文件没有被其他程序占用后再试；"
                "之前录入的内容都已保存。")
    if isinstance(exc, OSError):
        return f"文件读写出错：{os_reason(exc)}。请检查磁盘和文件夹后再试；之前录入的内容都已保存。"
    return f"操作没有完成：{exc}。之前录入的内容都已保存；如果问题反复出现，请联系技术支持。"
