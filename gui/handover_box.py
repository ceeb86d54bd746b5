"""After the archive is built: show its password again, open its folder, draft the mail, print the slip, record
how the password was told (the bundle step's status follows: 已生成 → 已告知密码).

The password is read from the credential store only when asked for, checked against the record's
fingerprint, and given to the password dialog or the slip; nothing here keeps it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.tasks import packed
from gui import preview, style
from gui.password_view import PasswordDialog, slip_document
from packaging import bundle, credentials, handover
from packaging import password as passwords
from packaging.archive import QUESTIONNAIRE_FOLDER
from packaging.maildraft import MailDraftError, mail_draft_name, write_mail_draft

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

ShowPassword = Callable[[str, str, bool], PasswordDialog]  # (password, note, first time) → the dialog


class HandoverBox(QGroupBox):
    """压缩包已生成: the buttons that send it and the form that records the telling of its password."""

    changed = Signal()  # the handover record was saved

    def __init__(self, ws: Workspace, folder: Callable[[], Path], show_password: ShowPassword,
                 parent: QWidget | None = None) -> None:
        super().__init__("压缩包已生成：发送与告知密码", parent)
        self.ws, self.folder, self.show_password = ws, folder, show_password
        self.slip_preview: preview.PreviewDialog | None = None
        lay = QVBoxLayout(self)
        buttons = QHBoxLayout()
        self.again_button = QPushButton("再次显示密码")
        self.again_button.clicked.connect(self.show_again)
        self.folder_button = QPushButton("打开所在文件夹")
        self.folder_button.clicked.connect(self.open_folder)
        self.mail_button = QPushButton("生成邮件草稿")
        self.mail_button.clicked.connect(self.mail_draft)
        self.slip_button = QPushButton("打印密码告知单…")
        self.slip_button.clicked.connect(self.print_slip)
        self.slip_password_box = QCheckBox("在告知单上印出密码")
        for widget in (self.again_button, self.folder_button, self.mail_button, self.slip_button,
                       self.slip_password_box):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        mail = QHBoxLayout()
        self.mailed_line = QLabel()
        self.mailed_line.setWordWrap(True)
        self.mailed_to = QLineEdit(mailbox_address(ws))
        self.mailed_to.setPlaceholderText("考评办公众评议邮箱地址（见纸质通知）")
        self.mailed_to.setMinimumWidth(self.fontMetrics().horizontalAdvance(self.mailed_to.placeholderText()) + 16)
        self.mailed_button = QPushButton("记录邮件已发送")
        self.mailed_button.clicked.connect(self.mark_mailed)
        mail.addWidget(self.mailed_line, 1)
        mail.addWidget(self.mailed_to)
        mail.addWidget(self.mailed_button)
        lay.addLayout(mail)
        form = QFormLayout()
        self.told_to = QLineEdit()
        self.told_to.setPlaceholderText("如：考评办 张科长")
        self.told_how = QComboBox()
        self.told_how.addItems(handover.TOLD_HOW)
        self.told_by = QLineEdit(ws.profile.liaison)
        self.told_button = QPushButton("记录已告知密码")
        self.told_button.clicked.connect(self.mark_told)
        form.addRow("告知对象：", self.told_to)
        form.addRow("告知方式：", self.told_how)
        form.addRow("告知人：", self.told_by)
        form.addRow("", self.told_button)
        lay.addLayout(form)

    def record(self) -> handover.HandoverRecord | None:
        return latest(self.ws)

    def show_record(self, record: handover.HandoverRecord | None) -> None:
        self.setVisible(record is not None)
        if record is not None:
            self.again_button.setEnabled(record.password_kept)
            self.again_button.setToolTip("" if record.password_kept else "生成时本机无法保存密码，程序没有留存它")
            self.told_button.setText("更正告知情况" if record.told_at else "记录已告知密码")
            self.mailed_line.setText(handover.mailed_text(record))
            self.mailed_button.setText("更正发送时间" if record.mailed_at else "记录邮件已发送")

    # -- the password again --------------------------------------------------------------------
    def stored_password(self, record: handover.HandoverRecord) -> str | None:
        """The record's password from the credential store, checked against its fingerprint."""
        try:
            secret = credentials.read(*user_parts(record, self.ws))
        except credentials.NoCredentialStore as problem:
            style.warn(self, "无法读取密码", problem.message)
            return None
        if secret is None:
            style.warn(self, "没有找到密码", f"凭据管理器中没有“{record.archive_name}”的密码（可能已被删除）。"
                       "如果密码已遗失，请重新生成压缩包，并把新密码告知考评办。")
            return None
        if not passwords.fingerprint_matches(secret, record.password_fingerprint):
            style.warn(self, "密码不符", "凭据管理器中保存的密码与这个压缩包的密码指纹不符：请重新生成压缩包。")
            return None
        return secret

    def show_again(self) -> PasswordDialog | None:
        record = self.record()
        secret = self.stored_password(record) if record is not None else None
        if record is None or secret is None:
            return None
        note = f"这是“{record.archive_name}”的密码，读自本机的“{credentials.backend_name()}”。"
        return self.show_password(secret, note, False)

    # -- files -----------------------------------------------------------------------------------
    def open_folder(self) -> None:
        folder = self.folder()
        if not folder.is_dir():
            style.warn(self, "找不到文件夹", f"文件夹“{folder}”不存在了：它可能被移动或删除。")
        elif not preview.open_url(QUrl.fromLocalFile(str(folder))):
            style.warn(self, "无法打开文件夹", f"请在资源管理器中打开：\n{folder}")

    def mail_draft(self) -> Path | None:
        """The .eml beside the archive, addressed when the campaign knows the mailbox, then opened."""
        record = self.record()
        if record is None:
            return None
        changed = packed.archive_changes(self.ws)
        if changed:  # the draft would carry an archive without the changes
            style.warn(self, "压缩包需重新生成", f"压缩包生成后，抽样框有改动：{'；'.join(changed)}。"
                       "请先重新生成压缩包，再生成邮件草稿。")
            return None
        folder = self.folder()
        archive = folder / record.archive_name
        if not archive.exists():
            style.warn(self, "找不到压缩包", f"“{archive}”不存在了：请把它放回原处，或重新生成压缩包。")
            return None
        inside = any(m.arcname.startswith(f"{QUESTIONNAIRE_FOLDER}/") for m in record.members)
        beside = [] if inside else [p for q in questionnaires(self.ws) if (p := folder / q.file_name()).exists()]
        try:
            draft = write_mail_draft(folder / mail_draft_name(record.archive_name),
                                     department=self.ws.profile.department, year=self.ws.campaign.year,
                                     archive=archive, questionnaires=beside, to=mailbox_address(self.ws))
        except MailDraftError as exc:
            style.warn(self, "无法生成邮件草稿", exc.message)
            return None
        if draft.warnings:
            style.inform(self, "邮件草稿", "\n".join([f"邮件草稿已保存：{draft.path}", *draft.warnings]))
        if not preview.open_url(QUrl.fromLocalFile(str(draft.path))):
            style.warn(self, "无法打开邮件草稿", f"草稿已保存在：\n{draft.path}\n请用Outlook或Foxmail打开它。")
        return draft.path

    def print_slip(self) -> preview.PreviewDialog | None:
        """The 密码告知单 in the print preview; with the password only when 在告知单上印出密码 is ticked."""
        record = self.record()
        if record is None:
            return None
        with_password = self.slip_password_box.isChecked()
        secret = self.stored_password(record) if with_password else None
        if with_password and secret is None:
            return None
        return self.preview_slip(secret)

    def preview_slip(self, secret: str | None) -> preview.PreviewDialog | None:
        record = self.record()
        if record is None:
            return None
        text = handover.password_slip_text(record, department=self.ws.profile.department, password=secret,
                                           subject=f"{self.ws.campaign.year}年度社会评价抽样框（加密压缩包）")
        self.slip_preview = preview.preview_doc(self.window(), slip_document(text), "密码告知单")
        return self.slip_preview

    # -- telling ---------------------------------------------------------------------------------
    def mark_mailed(self) -> bool:
        """记录邮件已发送: now, to the office's public-evaluation mailbox (beside 已告知密码 in the record)."""
        record = self.record()
        if record is None:
            return False
        try:
            mailed = handover.mark_mailed(record, self.mailed_to.text())
        except ValueError as exc:
            style.warn(self, "无法记录", str(exc))
            return False
        bundle.save_record(self.ws, mailed)
        self.changed.emit()
        return True

    def mark_told(self) -> bool:
        record = self.record()
        if record is None:
            return False
        try:
            told = handover.mark_told(record, told_to=self.told_to.text(), told_how=self.told_how.currentText(),
                                      told_by=self.told_by.text())
        except ValueError as exc:
            style.warn(self, "请补全告知情况", str(exc))
            return False
        bundle.save_record(self.ws, told)
        self.changed.emit()
        return True


def latest(ws: Workspace) -> handover.HandoverRecord | None:
    """The latest handover record; None when there is none or it cannot be read (then: build anew)."""
    try:
        return bundle.latest_record(ws)
    except (handover.HandoverRecordError, ValueError):
        return None


def questionnaires(ws: Workspace) -> list[Any]:
    """The questionnaire of every work item as it prints now."""
    from forms.documents.questionnaire import Questionnaire
    from forms.notice import questionnaire as questions

    return [Questionnaire(ws.campaign, ws.profile.department, f.item, questions.load(ws, f.id))  # type: ignore[arg-type]
            for f in ws.hot_frames()]


def mailbox_address(ws: Workspace) -> str:
    """The address of the mailbox the bundle goes to, when the campaign data knows it (else empty)."""
    for deadline in ws.campaign.deadlines:
        if "bundle" in deadline.deliverables and deadline.mailbox:
            return str(ws.campaign.mailboxes.get(deadline.mailbox, {}).get("address") or "")
    return ""


def user_parts(record: handover.HandoverRecord, ws: Workspace) -> tuple[str, str, str]:
    """department, campaign, archive name as the record was stored (the department may be renamed since)."""
    parts = record.keyring_user.split("/")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return ws.profile.department, ws.profile.campaign, record.archive_name
