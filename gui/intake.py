"""The office's side in the window (考评办收件): choose the folder of archives, the password table and where to
write; receive every archive off the GUI thread with a progress bar; a table of departments with their
status, filtered by status; double-click shows a department's problems in the department side's problem
list. A corrected archive received later (重新收取) replaces that department's entry.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from forms.notice import campaign as campaign_mod
from forms.notice.attachments import FRAME_FORMS
from forms.tasks import sampling
from gui import style, worker
from gui.intake_model import FIRST_FORM_COLUMN, IntakeModel, StatusFilter, status_icon
from gui.problem_list import FindingsPanel
from packaging.intake.members import Status
from packaging.intake.outputs import Written, write_outputs
from packaging.intake.passwords import read_passwords
from packaging.intake.receive import STATUS_LABELS, ArchiveReport, IntakeBatch, archives_in, receive_each


class _Relay(QObject):
    """Carries each received archive from the worker thread to the table as soon as it is read."""

    received = Signal(object)


Outcome = tuple[IntakeBatch, Written]


def receive_job(folder: str, table: str, out: str, batch: IntakeBatch,
                relay: _Relay) -> Callable[[worker.Progress], Outcome]:
    """The work of a run, for the worker thread: receive `folder`'s archives (all, or one file) into `batch`
    (a fresh one, or a copy of the one shown: the window's own is never touched off its thread), write OUT."""

    def job(progress: worker.Progress) -> Outcome:
        book = read_passwords(table)
        paths = [Path(folder)] if Path(folder).is_file() else archives_in(folder)
        with closing(receive_each(paths, book)) as reports:  # (closed early: the archives not started are not)
            for done, report in enumerate(reports):
                if not progress(done, len(paths)):
                    raise worker.Cancelled()
                if (replaced := batch.add(report)) is not None and replaced.archive != report.archive:
                    replaced.replaced_by = report.archive
                relay.received.emit(report)
        progress(len(paths), len(paths))
        return batch, write_outputs(out, batch, expected=book.entries)

    return job


class IntakePage(QWidget):
    """The office's intake screen."""

    back_requested = Signal()
    finished = Signal()  # a run ended (done, failed or cancelled)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = IntakeModel(self)
        self.proxy = StatusFilter(self)
        self.proxy.setSourceModel(self.model)
        self.job: worker.Job | None = None
        self.relay = _Relay(self)
        self.relay.received.connect(self._received)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 18)
        top = QHBoxLayout()
        top.addWidget(style.page_title("考评办收件"), 1)
        back = QPushButton("返回首页")
        back.clicked.connect(self.back_requested)
        top.addWidget(back)
        outer.addLayout(top)
        outer.addWidget(style.hint("把各单位发来的压缩包（.zip）放在同一个文件夹里，把电话告知的密码填入密码表"
                                   "（.xlsx或.csv，列：压缩包、密码，可加单位、类别），然后开始收件。结果写入输出文件夹："
                                   "收件情况.xlsx 和 汇总_附件N.xlsx；密码不会写入任何输出文件。"))
        outer.addLayout(self._paths())
        outer.addLayout(self._actions())
        outer.addWidget(self._table(), 1)
        self.note = style.hint("双击一个单位，查看它的全部问题。")
        outer.addWidget(self.note)

    def _paths(self) -> QGridLayout:
        grid = QGridLayout()
        self.folder, self.table, self.out = QLineEdit(), QLineEdit(), QLineEdit()
        rows = (("压缩包文件夹", self.folder, self._choose_folder), ("密码表", self.table, self._choose_table),
                ("输出文件夹", self.out, self._choose_out))
        for at, (label, edit, choose) in enumerate(rows):
            grid.addWidget(QLabel(label), at, 0)
            grid.addWidget(edit, at, 1)
            button = QPushButton("选择…")
            button.clicked.connect(choose)
            grid.addWidget(button, at, 2)
        return grid

    def _actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.start_button = QPushButton("开始收件")
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start_all)
        self.again_button = QPushButton("重新收取一个压缩包…")
        self.again_button.setToolTip("某单位改正后重新发来压缩包（或补告了密码）：选择这个压缩包，替换该单位原来的结果。")
        self.again_button.clicked.connect(self._choose_again)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setFormat("%v / %m")
        self.filter = QComboBox()
        self.filter.addItem("全部状态", "")
        for status in Status:
            self.filter.addItem(status_icon(status), STATUS_LABELS[status], str(status))
        self.filter.currentIndexChanged.connect(lambda _i: self.proxy.set_status(self.filter.currentData()))
        self.sample_button = QPushButton("抽样…")
        self.sample_button.setToolTip("从汇总的抽样框中按市分层抽取电话调查名单（抽样名单.xlsx），同一种子抽出同一名单。")
        self.sample_button.clicked.connect(self._ask_sample)
        for widget in (self.start_button, self.again_button, self.sample_button, self.cancel_button):
            row.addWidget(widget)
        row.addWidget(self.progress, 1)
        row.addWidget(QLabel("只看："))
        row.addWidget(self.filter)
        return row

    def _table(self) -> QTableView:
        self.view = QTableView()
        self.view.setObjectName("intakeTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.doubleClicked.connect(self.show_findings)
        return self.view

    # -- choosing ------------------------------------------------------------------------------------
    def _choose_folder(self) -> None:
        if path := QFileDialog.getExistingDirectory(self, "选择存放压缩包的文件夹", self.folder.text()):
            self.folder.setText(path)

    def _choose_table(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择密码表", self.table.text(), "密码表 (*.xlsx *.xls *.csv)")
        if path:
            self.table.setText(path)

    def _choose_out(self) -> None:
        if path := QFileDialog.getExistingDirectory(self, "选择输出文件夹", self.out.text()):
            self.out.setText(path)

    def _choose_again(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "选择重新收到的压缩包", self.folder.text(), "压缩包 (*.zip)")
        if path:
            self.start_one(path)

    # -- running -------------------------------------------------------------------------------------
    def start_all(self) -> bool:
        """Receive every archive of the folder afresh."""
        if not self._start(self.folder.text().strip(), IntakeBatch()):
            return False
        self.model.set_batch(IntakeBatch(), partial=True)  # a fresh run: the table fills as archives are read
        return True

    def start_one(self, archive: str) -> bool:
        """Receive one (corrected) archive; it replaces its department's entry."""
        return self._start(archive, self.model.batch.copy())

    def _start(self, source: str, batch: IntakeBatch) -> bool:
        missing = [name for name, text in (("压缩包文件夹", source), ("密码表", self.table.text()),
                                           ("输出文件夹", self.out.text())) if not text.strip()]
        if missing:
            style.warn(self, "还不能收件", f"请先选择{'、'.join(missing)}。")
            return False
        if self.job is not None:
            return False
        self._busy(True)
        job = receive_job(source, self.table.text().strip(), self.out.text().strip(), batch, self.relay)
        self.job = worker.Job(job, self)
        self.job.progressed.connect(self._progressed)
        self.job.finished.connect(self._done)
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.progress.cancel()
            self.note.setText("正在取消，请稍候…")

    def _busy(self, busy: bool) -> None:
        for widget in (self.start_button, self.again_button, self.sample_button, self.folder, self.table, self.out):
            widget.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)
        if busy:
            self.progress.setRange(0, 0)
            self.note.setText("正在收件……窗口可以照常使用。")

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _received(self, report: ArchiveReport) -> None:
        """A report from the worker: shown at once (the window's own batch, on its own thread)."""
        self.model.add_report(report)
        self.note.setText(f"已读取：{report.archive}（{STATUS_LABELS[report.status]}）")

    def _done(self, outcome: worker.Outcome) -> None:
        self.job = None
        self._busy(False)
        if outcome.ok:
            batch, written = outcome.value
            self.model.set_batch(batch)
            self._show_form_columns()
            ok = sum(r.status is Status.OK for r in batch.reports())
            self.note.setText(f"共{len(batch.reports())}个单位，合格{ok}个。已写出：{written.status.name}"
                              + "".join(f"、{p.name}" for p in written.merged) + f"（在 {written.status.parent}）。"
                              "双击一个单位，查看它的全部问题。")
        elif outcome.cancelled:
            self.model.set_batch(self.model.batch)  # what was read before 取消 stays shown; nothing was written
            self.note.setText("已取消：表格中是取消前已读取的压缩包，输出文件夹没有更新。")
        else:
            assert outcome.error is not None
            self.model.set_batch(self.model.batch)
            self.note.setText("收件没有完成。")
            style.warn(self, "收件没有完成", worker.error_message(outcome.error))
        self.finished.emit()

    def _show_form_columns(self) -> None:
        """Only the 附件N columns some department sent (a batch of one kind has two of the six)."""
        sent = {form for report in self.model.batch.reports() for form in report.rows}
        for at, form in enumerate(FRAME_FORMS, FIRST_FORM_COLUMN):
            self.view.setColumnHidden(at, bool(sent) and form not in sent)

    # -- sampling -----------------------------------------------------------------------------------
    def _ask_sample(self) -> None:
        per, ok = QInputDialog.getInt(self, "抽样", "每个单位每个抽样框抽取的人数：", 50, 1, 100_000)
        if not ok:
            return
        seed, ok = QInputDialog.getText(self, "抽样", "抽样种子（记录在名单上；同一种子抽出同一名单）：",
                                        text=str(secrets.randbelow(10**8)))
        if ok and seed.strip():
            self.draw_sample(per, seed.strip())

    def draw_sample(self, per_frame: int, seed: str) -> bool:
        """Write 抽样名单.xlsx into the output folder, off the GUI thread."""
        if not self.model.batch.submissions() or not self.out.text().strip() or self.job is not None:
            style.warn(self, "还不能抽样", "请先收件：抽样从已读出的抽样框中抽取，名单写入输出文件夹。")
            return False
        batch, out = self.model.batch.copy(), Path(self.out.text().strip())

        def job(_progress: worker.Progress) -> Path:
            campaign = campaign_mod.load(batch.campaign_id)
            return sampling.write_call_list(out, campaign, sampling.draw(batch.merged(), per_frame, seed))

        self._busy(True)
        self.note.setText("正在抽样……")
        self.job = worker.Job(job, self)
        self.job.finished.connect(self._sampled)
        return True

    def _sampled(self, outcome: worker.Outcome) -> None:
        self.job = None
        self._busy(False)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        if outcome.ok:
            self.note.setText(f"已写出抽样名单：{outcome.value}")
        else:
            self.note.setText("抽样没有完成。")
            if outcome.error is not None:
                style.warn(self, "抽样没有完成", worker.error_message(outcome.error))
        self.finished.emit()

    # -- looking ------------------------------------------------------------------------------------
    def show_findings(self, index: QModelIndex) -> QDialog:
        row = self.proxy.mapToSource(index).row()
        report = self.model.report(row)
        dialog = QDialog(self)
        dialog.setWindowTitle(f"{report.department or report.archive}：{STATUS_LABELS[report.status]}")
        layout = QVBoxLayout(dialog)
        layout.addWidget(QLabel(f"压缩包：{report.archive}\n{report.message}"))
        layout.addWidget(FindingsPanel(self.model.findings(row), dialog), 1)
        dialog.resize(900, 520)
        dialog.show()
        return dialog
