"""打包加密发送: the frames checked, the encrypted archive built in the background, the password handed over.

The page shows the step's status (未发送 / 已生成 / 已告知密码) and what still stops the bundle (a
frame with errors: click it to go there; warnings without a reason: a confirmation). 生成压缩包 runs
packaging.bundle.build_bundle behind gui.worker's modal progress dialog, so nothing else touches the
workspace meanwhile. The password is shown once (gui.password_view), kept only by the OS credential
store, and never written to a log, QSettings or the workspace; the handover record is. What follows
(mail draft, slip, telling) is gui.handover_box.
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forms.tasks import outputs, packed
from forms.tasks.steps import STALE
from gui import preview, style, worker
from gui.handover_box import HandoverBox, latest, questionnaires
from gui.password_view import CLEAR_AFTER_MS, PasswordDialog
from gui.settings import Page, workspace_busy
from packaging import bundle, credentials, handover
from packaging import password as passwords
from packaging.archive import archive_file_name

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

FOLDER_KEY = "bundle:folder"
KEY_ROLE = Qt.ItemDataRole.UserRole
STEPS = 1000  # the progress bar: writing the archive fills the first half, verifying it the second
STAGES = {"write": "正在加密写入压缩包…", "verify": "正在逐个核对压缩包中的文件…"}
KEEP_PLAIN_WARNING = ("未加密的Excel副本含有全部人员的姓名和联系电话：只在本机妥善保管，报送完成后立即删除，"
                      "切勿通过邮件、微信或U盘外传。")


class BundlePage(Page):
    """The 11月13日 bundle: check, build, show the password once, record how it was told."""

    open_step = Signal(str)  # a step to show: a frame with errors, or the work items
    stage = Signal(str)  # emitted by the job on the worker thread: the progress dialog's text

    def __init__(self, ws: Workspace, today: Callable[[], dt.date] = dt.date.today,
                 parent: QWidget | None = None) -> None:
        super().__init__(ws, parent)
        self.today = today
        self.clear_after_ms = CLEAR_AFTER_MS  # how long a copied password stays on the clipboard
        self.password_dialog: PasswordDialog | None = None
        self.stage.connect(self._show_stage)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.addWidget(style.page_title("打包加密发送"))
        layout.addWidget(style.hint(
            "全部抽样框没有错误后，程序把附件2–7导出为Excel，打成一个AES-256加密压缩包，核对无误后才放到"
            f"指定文件夹；评议问卷放在压缩包旁边一起发送。{due(ws)}前用电子邮件发送至自治区公众评议专用邮箱，"
            "压缩包密码须通过电话等其他渠道另行及时告知自治区绩效考评办。"))
        self.state_label = QLabel()
        self.record_label = style.hint("")
        layout.addWidget(self.state_label)
        layout.addWidget(self.record_label)
        layout.addWidget(self._checks_box())
        layout.addWidget(self._build_box())
        self.handover = HandoverBox(ws, self.folder, self._show_password)
        self.handover.changed.connect(self._told)
        layout.addWidget(self.handover)
        layout.addStretch(1)
        self.load()

    # -- building the page ---------------------------------------------------------------------
    def _checks_box(self) -> QGroupBox:
        box = QGroupBox("抽样框检查")
        lay = QVBoxLayout(box)
        self.ready_label = QLabel()
        self.ready_label.setWordWrap(True)
        self.problem_list = QListWidget()
        self.problem_list.setMaximumHeight(110)
        self.problem_list.itemActivated.connect(self._jump)
        self.problem_list.itemClicked.connect(self._jump)
        self.confirm_box = QCheckBox("我已核对这些提醒，确认照此报送")
        for widget in (self.ready_label, self.problem_list, self.confirm_box):
            lay.addWidget(widget)
        return box

    def _build_box(self) -> QGroupBox:
        box = QGroupBox("生成加密压缩包")
        form = QFormLayout(box)
        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        choose = QPushButton("选择…")
        choose.clicked.connect(self.choose_folder)
        row = QHBoxLayout()
        row.addWidget(self.folder_edit, 1)
        row.addWidget(choose)
        form.addRow("保存到：", row)
        self.inside_box = QCheckBox("评议问卷也放入压缩包（默认放在压缩包旁边，考评办要审阅）")
        self.keep_plain_box = QCheckBox("保留未加密的Excel副本")
        self.keep_plain_warning = QLabel(KEEP_PLAIN_WARNING)
        self.keep_plain_warning.setWordWrap(True)
        self.keep_plain_warning.setStyleSheet(f"color: {style.ERROR_COLOUR};")
        self.keep_plain_box.toggled.connect(lambda on: form.setRowVisible(self.keep_plain_warning, on))
        form.addRow("", self.inside_box)
        form.addRow("", self.keep_plain_box)
        form.addRow("", self.keep_plain_warning)
        form.setRowVisible(self.keep_plain_warning, False)
        form.addRow("密码：", self._password_row())
        self.typed_reasons = QLabel()
        self.typed_reasons.setWordWrap(True)
        form.addRow("", self.typed_reasons)
        self.build_button = QPushButton("生成压缩包")
        self.build_button.clicked.connect(self.build)
        self.result_label = style.hint("")
        form.addRow("", self.build_button)
        form.addRow("", self.result_label)
        self.form = form
        self._check_typed()
        form.setRowVisible(self.result_label, False)
        return box

    def _password_row(self) -> QHBoxLayout:
        self.auto_radio = QRadioButton("自动生成（推荐）")
        self.typed_radio = QRadioButton("自己输入：")
        self.auto_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.auto_radio)
        group.addButton(self.typed_radio)
        self.typed_edit = QLineEdit()
        self.typed_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.typed_edit.setPlaceholderText(f"至少{passwords.MIN_TYPED_LENGTH}个字符，只用英文字母、数字和符号")
        self.typed_edit.setEnabled(False)
        self.typed_radio.toggled.connect(self.typed_edit.setEnabled)
        self.typed_radio.toggled.connect(self._check_typed)
        self.typed_edit.textChanged.connect(self._check_typed)
        row = QHBoxLayout()
        for widget in (self.auto_radio, self.typed_radio):
            row.addWidget(widget)
        row.addWidget(self.typed_edit, 1)
        return row

    # -- state ---------------------------------------------------------------------------------
    def folder(self) -> Path:
        chosen = self.ws.text(FOLDER_KEY, "").strip()
        return Path(chosen) if chosen else preview.default_folder(self.ws)

    def record(self) -> handover.HandoverRecord | None:
        return latest(self.ws)

    def load(self) -> None:
        if workspace_busy():
            return
        self.folder_edit.setText(str(self.folder()))
        self.show_record()
        self.show_checks()

    def showEvent(self, event: Any) -> None:  # the frames may have changed since the page was built
        super().showEvent(event)
        self.load()

    def show_record(self) -> None:
        record = self.record()
        changed = packed.archive_changes(self.ws) if record is not None else []
        status = STALE if changed else handover.bundle_status(record)
        colour = {handover.STATUS_DONE: style.OK_COLOUR, handover.STATUS_TOLD: style.WARNING_COLOUR,
                  handover.STATUS_MAILED: style.WARNING_COLOUR, handover.STATUS_BUILT: style.WARNING_COLOUR,
                  STALE: style.ERROR_COLOUR}
        style.coloured(self.state_label, f"状态：{status}", colour.get(status, style.MUTED_COLOUR), bold=True)
        self.handover.show_record(record)
        if record is None:
            self.record_label.setText("还没有生成压缩包。")
            return
        lines = [f"压缩包：{record.archive_name}，大小{handover.human_size(record.size)}，"
                 f"生成于{record.created_at:%Y年%m月%d日 %H:%M}，保存在“{self.folder()}”。"]
        lines += [f"协商调整：{line}" for line in record.agreed]
        if changed:
            lines.append(f"压缩包生成后，抽样框有改动：{'；'.join(changed)}。压缩包里还是改动前的内容："
                         "请重新生成压缩包，并把新密码告知考评办。")
        elif record.told_at is not None:
            lines.append(f"密码已于{record.told_at:%Y年%m月%d日 %H:%M}由{record.told_by}以{record.told_how}方式"
                         f"告知{record.told_to}。")
        else:
            lines.append("密码还没有告知考评办：请通过电话等其他渠道告知后，在下面记录。")
        self.record_label.setText("\n".join(lines))

    def problems(self) -> tuple[list[str], list[str]]:
        """Frames with errors, frames with warnings nobody explained (looked for only where warnings are)."""
        frames = self.ws.frames()
        warned = any(self.ws.engine.counts(f.id)[1] for f in frames)
        return bundle.frame_errors(self.ws), bundle.unexplained_warnings(self.ws) if warned else []

    def show_checks(self) -> None:
        errors, warnings = self.problems()
        self.problem_list.clear()
        for line in errors + warnings:
            item = QListWidgetItem(line)
            item.setData(KEY_ROLE, self._step_of(line))
            item.setForeground(style.qcolor(style.ERROR_COLOUR if line in errors else style.WARNING_COLOUR))
            self.problem_list.addItem(item)
        self.problem_list.setVisible(bool(errors or warnings))
        self.confirm_box.setVisible(bool(warnings) and not errors)
        if errors:
            style.coloured(self.ready_label, "以下抽样框还有问题，改正后才能打包（点击可转到该抽样框）：", style.ERROR_COLOUR)
        elif warnings:
            style.coloured(self.ready_label, "抽样框没有错误，但以下提醒尚未填写说明：", style.WARNING_COLOUR)
        else:
            style.coloured(self.ready_label, "全部抽样框都没有错误，可以打包。", style.OK_COLOUR)

    def _step_of(self, line: str) -> str:
        frame = next((f for f in self.ws.frames() if line.startswith(f"{f.label}：")), None)
        return f"frame:{frame.id}" if frame else "items"

    def _jump(self, item: QListWidgetItem) -> None:
        self.open_step.emit(str(item.data(KEY_ROLE)))

    def _check_typed(self) -> list[str]:
        reasons = passwords.check_typed(self.typed_edit.text()) if self.typed_radio.isChecked() else []
        style.coloured(self.typed_reasons, "".join(reasons), style.ERROR_COLOUR)
        self.form.setRowVisible(self.typed_reasons, bool(reasons))
        return reasons

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "把压缩包保存到哪个文件夹", str(self.folder()))
        if folder:
            self.ws.set_text(FOLDER_KEY, folder)
            self.folder_edit.setText(folder)
            self.saved.emit()

    # -- building the archive --------------------------------------------------------------------
    def build(self) -> bundle.BundleOutcome | None:
        """Check, ask what must be asked, build in the background; show the password once."""
        errors, warnings = self.problems()
        if errors:
            self._refused("以下材料还有问题，改正后才能打包：", errors)
            return None
        if warnings and not self.confirm_box.isChecked():
            self._refused("以下提醒尚未说明理由：请逐条核对并在抽样框中填写说明，"
                          "或勾选“我已核对这些提醒，确认照此报送”后再打包。", warnings)
            return None
        if reasons := self._check_typed():
            self._refused("这个密码不能用：", reasons)
            return None
        problem = credentials.check_store()
        if problem is not None and not style.confirm(self, "本机无法保存密码", (
                f"{problem.message}\n\n生成后密码只在屏幕上显示这一次：请准备好纸笔，或打印密码告知单。继续生成吗？")):
            return None
        folder, today = self.folder(), self.today()
        target = folder / archive_file_name(self.ws.profile.department, self.ws.campaign.year, today)
        overwrite = target.exists()
        if overwrite and not style.confirm(self, "覆盖压缩包", (
                f"“{target.name}”已经存在。如果它已经发出，请不要覆盖。\n\n覆盖后压缩包会换用新密码，"
                "必须把新密码重新告知考评办。确定覆盖吗？")):
            return None
        previous = self.record()
        if not overwrite and previous is not None and not style.confirm(self, "重新生成压缩包", (
                f"之前生成的“{previous.archive_name}”将被新压缩包取代：它和它的邮件草稿会被删除，密码也会更换。\n\n"
                "如果旧压缩包已经发出，请把新密码告知考评办，并说明以新压缩包为准。确定重新生成吗？")):
            return None
        outcome = self._run(folder, today, overwrite)
        if outcome is not None:
            self._built(outcome)
        return outcome

    def _refused(self, message: str, problems: list[str]) -> None:
        style.warn(self, "不能打包", "\n".join([message, *(f"· {p}" for p in problems)]))

    def _run(self, folder: Path, today: dt.date, overwrite: bool) -> bundle.BundleOutcome | None:
        ws, inside, keep = self.ws, self.inside_box.isChecked(), self.keep_plain_box.isChecked()
        chosen = self.typed_edit.text() if self.typed_radio.isChecked() else None
        papers = questionnaires(ws)

        def work(progress: worker.Progress) -> bundle.BundleOutcome:
            where = folder / f".报送助手-问卷-{secrets.token_hex(4)}" if inside else folder
            stage: list[str] = []

            def report(name: str, done: int, total: int) -> None:
                if stage[-1:] != [name]:
                    stage.append(name)
                    self.stage.emit(STAGES.get(name, ""))
                base = 0 if name == "write" else STEPS
                progress(base + (done * STEPS // total if total else STEPS), 2 * STEPS)
                progress.check()

            try:
                written = [paper.write_docx(where / paper.file_name()) for paper in papers]
                outcome = bundle.build_bundle(ws, folder, chosen, confirm_warnings=True, keep_plain=keep,
                                              overwrite=overwrite, questionnaires=written,
                                              questionnaires_inside=inside, progress=report, today=today)
                if not inside:  # a `_未完成` questionnaire written earlier must not lie beside the archive
                    names = [p.name for p in written]
                    outcome.retired += outputs.settle(ws, folder, written,
                                                      scope=outputs.same_deliverable(names)).lines()
                return outcome
            finally:
                if inside:
                    shutil.rmtree(where, ignore_errors=True)

        done = worker.run_modal(self, "正在导出抽样框并生成加密压缩包…", work)
        if done.cancelled:
            style.inform(self, "已取消", "已取消，没有生成压缩包；导出的临时文件已删除。")
        elif isinstance(done.error, bundle.BundleRefused):
            self._refused(done.error.message, done.error.problems)
        elif done.error is not None:
            style.warn(self, "没有生成压缩包", worker.error_message(done.error))
        else:
            return done.value  # type: ignore[no-any-return]
        return None

    def _show_stage(self, text: str) -> None:
        dialog = QApplication.activeModalWidget()
        if text and isinstance(dialog, QProgressDialog) and not dialog.wasCanceled():
            dialog.setLabelText(text)

    def _built(self, outcome: bundle.BundleOutcome) -> None:
        beside = [] if self.inside_box.isChecked() else [q.file_name() for q in questionnaires(self.ws)]
        lines = [f"已生成并核对：{outcome.archive.path}"]
        if beside:
            lines.append("与压缩包一起发送的评议问卷：" + "、".join(beside))
        lines += [f"注意：未加密的副本仍在 {path}，报送后请删除。" for path in outcome.plain_left]
        lines += outcome.retired
        self.result_label.setText("\n".join(lines))
        self.form.setRowVisible(self.result_label, True)
        self.typed_edit.clear()
        self.load()
        self.saved.emit()
        self.status.emit(f"已生成压缩包 {outcome.archive.path.name}")
        self._show_password(outcome.password, outcome.stored.message, first=True)

    def _show_password(self, secret: str, note: str, first: bool) -> PasswordDialog:
        self.password_dialog = PasswordDialog(secret, note, first=first, clear_after_ms=self.clear_after_ms,
                                              print_slip=self.handover.preview_slip, parent=self)
        self.password_dialog.open()
        return self.password_dialog

    def _told(self) -> None:
        self.show_record()
        self.saved.emit()


def due(ws: Workspace) -> str:
    """The bundle's deadline in the workspace's own campaign (`2016年11月13日`)."""
    from forms.tasks import steps

    found = next((d.date for d in ws.campaign.deadlines if "bundle" in d.deliverables), None)
    return steps.long_date(found) if found else "截止日期"
