"""GUI test fixtures: a fresh workspace per test, a folder for screenshots under the run's temp path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from forms.store.workspace import Profile, Workspace  # noqa: E402


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    ws = Workspace.create(tmp_path / "交通厅.baosong",
                          Profile("自治区交通运输厅", "gov", "经济管理类", liaison="黄小明"))
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def shots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Screenshots of the main screens land here (printed at the end of the run)."""
    return tmp_path_factory.mktemp("screens")


@pytest.fixture(autouse=True)
def no_unexpected_message_box(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A message box no test asked for fails the test (with its text) instead of waiting for a click forever.

    Tests that expect boxes take `said`, which answers them instead."""
    shown: list[str] = []

    def box(_parent: object, title: str, text: str, *_a: object, **_k: object) -> object:
        shown.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Ok

    for kind in ("information", "warning", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, box)
    yield
    assert not shown, f"unexpected message box: {shown}"


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Every message box's text by kind, each answered Ok (or Yes to a question); none is shown."""
    messages: dict[str, list[str]] = {"information": [], "warning": [], "question": [], "opened": []}

    def capture(kind: str, answer: object) -> object:
        def box(_parent: object, _title: str, text: str, *_a: object, **_k: object) -> object:
            messages[kind].append(text)
            return answer
        return box

    monkeypatch.setattr(QMessageBox, "information", capture("information", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "warning", capture("warning", QMessageBox.StandardButton.Ok))
    monkeypatch.setattr(QMessageBox, "question", capture("question", QMessageBox.StandardButton.Yes))
    return messages


@pytest.fixture
def app_look(qapp: QApplication) -> Iterator[None]:
    """The fonts and style sheet run_app gives the program, for tests that look at it (screenshots, previews)."""
    from gui import style

    font, sheet = qapp.font(), qapp.styleSheet()
    style.apply_app_font(qapp)
    yield
    qapp.setFont(font)
    qapp.setStyleSheet(sheet)
