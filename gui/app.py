"""The application: QApplication with its name, Chinese Qt dialogs, a CJK font fallback, the window.

`run_app([])` shows the start screen; `run_app([path])` opens that workspace. The window is shown
before the rule engine is even imported: the workspace opens on a worker thread, and the engine's
modules are loaded in the background while the start screen waits for the clerk.

For the start-up benchmark, BAOSONG_BENCH=shown prints a marker once the window is on screen and
quits; BAOSONG_BENCH=ready does so once the workspace given on the command line is shown.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTimer, QTranslator
from PySide6.QtWidgets import QApplication

from gui import style
from gui.main_window import MainWindow
from gui.settings import APPLICATION, ORGANISATION, AppSettings

BENCH_MARKER = "BAOSONG-SHOWN"
READY_MARKER = "BAOSONG-READY"


def create_application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0] if sys.argv else APPLICATION])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    install_translations(app)
    style.apply_app_font(app)
    return app


def install_translations(app: QCoreApplication) -> QTranslator | None:
    """Qt's own dialogs (确定/取消, the file dialog, the wizard's buttons) in Simplified Chinese."""
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if not translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "qtbase", "_", folder):
        return None
    app.installTranslator(translator)
    return translator


def preload_engine() -> None:
    """Import the workspace and rule modules, and load their reference data, in the background."""
    def load() -> None:
        import forms.store.workspace  # noqa: F401
        from forms.checks import warmup

        warmup.load_reference_data()

    threading.Thread(target=load, daemon=True, name="preload-engine").start()


def _bench(window: MainWindow, app: QApplication) -> None:
    mode = os.environ.get("BAOSONG_BENCH", "")
    started = time.perf_counter()

    def report(marker: str) -> None:
        print(marker, f"{time.perf_counter() - started:.3f}", flush=True)
        app.quit()

    if mode == "shown":
        QTimer.singleShot(0, lambda: report(BENCH_MARKER))
    elif mode == "ready":
        window.workspace_opened.connect(lambda _ws: QTimer.singleShot(0, lambda: report(READY_MARKER)))
        window.open_failed.connect(lambda _message: app.exit(2))


def run_app(argv: list[str]) -> int:
    """Show the window (with the workspace file argv[0], if given) and run until it closes."""
    app = create_application()
    window = MainWindow(AppSettings())
    window.show()
    _bench(window, app)
    if argv:
        window.open_path(argv[0])
    else:
        preload_engine()
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_app(sys.argv[1:]))
