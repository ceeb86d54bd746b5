"""The archive password on screen: shown large in groups, copied to a clipboard that forgets it, printed on the slip.

The password is never logged, put in QSettings or written anywhere by this module. 复制 puts it on the
clipboard marked for Windows to keep it out of the clipboard history and the cloud clipboard, and
takes it off again after a minute, unless the clipboard holds something else by then.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QMimeData, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from forms.documents.model import BODY, TITLE, Doc, Para
from gui import style
from packaging.password import reading_hint

CLEAR_AFTER_MS = 60_000
MONOSPACE = ("Consolas", "Cascadia Mono", "DejaVu Sans Mono", "Liberation Mono", "Courier New")
# Windows clipboard formats that keep a copied secret out of the clipboard history (Win+V) and the cloud.
_WINDOWS_PRIVATE = {
    'application/x-qt-windows-mime;value="ExcludeClipboardContentFromMonitorProcessing"': b"\x01\x00\x00\x00",
    'application/x-qt-windows-mime;value="CanIncludeInClipboardHistory"': b"\x00\x00\x00\x00",
    'application/x-qt-windows-mime;value="CanUploadToCloudClipboard"': b"\x00\x00\x00\x00",
}


class ClipboardWiper(QObject):
    """Puts a secret on the clipboard and clears it after a while, if it is still the secret there.

    Owned by the application, so the wipe still happens after the dialog that copied has closed."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._secret = ""
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.wipe)

    def copy(self, secret: str, clear_after_ms: int) -> None:
        mime = QMimeData()
        mime.setText(secret)
        for kind, value in _WINDOWS_PRIVATE.items():
            mime.setData(kind, QByteArray(value))
        QGuiApplication.clipboard().setMimeData(mime)
        self._secret = secret
        self.timer.start(clear_after_ms)

    def wipe(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if self._secret and clipboard.text() == self._secret:
            clipboard.clear()
        self._secret = ""


_wiper: ClipboardWiper | None = None


def wiper() -> ClipboardWiper:
    global _wiper
    if _wiper is None:
        _wiper = ClipboardWiper(QGuiApplication.instance())
    return _wiper


def monospace(size: float) -> QFont:
    font = QFont()
    font.setFamilies(list(MONOSPACE))
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSizeF(size)
    font.setBold(True)
    return font


class PasswordDialog(QDialog):
    """The password in large monospace groups, with 复制, the store's message and the slip."""

    def __init__(self, secret: str, note: str, *, first: bool, clear_after_ms: int = CLEAR_AFTER_MS,
                 print_slip: Callable[[str], object] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("压缩包密码")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.clear_after_ms = clear_after_ms
        self._secret = secret
        layout = QVBoxLayout(self)
        if first:
            head = QLabel("压缩包已生成并核对无误。这是它的解压密码，请现在抄在密码告知单上：")
            head.setWordWrap(True)
            layout.addWidget(head)
        self.password_label = QLabel(secret)
        self.password_label.setFont(monospace(22))
        self.password_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.password_label.setStyleSheet("padding: 12px; background: #f6f7f9; border: 1px solid #dcdfe4;")
        layout.addWidget(self.password_label)
        layout.addWidget(style.hint(reading_hint(secret) + "密码请通过电话等渠道另行告知考评办，不要写进邮件。"))
        self.note_label = QLabel(note)
        self.note_label.setWordWrap(True)
        layout.addWidget(self.note_label)
        self.copied_label = style.hint("")
        layout.addWidget(self.copied_label)
        layout.addLayout(self._buttons(print_slip))
        self.finished.connect(self._forget)
        self.setMinimumWidth(560)

    def _buttons(self, print_slip: Callable[[str], object] | None) -> QHBoxLayout:
        row = QHBoxLayout()
        self.copy_button = QPushButton("复制")
        self.copy_button.clicked.connect(self.copy)
        row.addWidget(self.copy_button)
        if print_slip is not None:
            self.slip_button = QPushButton("打印含密码的告知单…")
            self.slip_button.clicked.connect(lambda: print_slip(self._secret))
            row.addWidget(self.slip_button)
        row.addStretch(1)
        close = QPushButton("我已抄下，关闭")
        close.clicked.connect(self.accept)
        row.addWidget(close)
        return row

    def password(self) -> str:
        return self.password_label.text()

    def copy(self) -> None:
        wiper().copy(self._secret, self.clear_after_ms)
        seconds = max(1, round(self.clear_after_ms / 1000))
        self.copied_label.setText(f"已复制到剪贴板，{seconds}秒后自动清除。")

    def _forget(self) -> None:
        """Once closed, the dialog holds the password no longer (the clipboard wipe is on its way)."""
        self._secret = ""
        self.password_label.clear()


def slip_document(text: str) -> Doc:
    """The 密码告知单 as a printed page: its first line the title, every other line a paragraph."""
    lines = text.rstrip("\n").split("\n")
    body = BODY.but(align="left", line=22)
    return Doc(title=lines[0], blocks=(Para(lines[0], TITLE), *(Para(line, body) for line in lines[1:])))
