"""Importing a clerk's spreadsheet into a frame: read off the GUI thread, then a preview.

The preview shows where the header was found, the first rows, and one drop-down per source column
saying which column of the frame it fills; the clerk can correct any of them. It says how many rows
will come in and how many of them have errors (checked on a scratch engine in the background), before
anything is written. Reading and recognising the file is forms.sheets.excel_in's work; this is only the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms.base.findings import Severity
from forms.checks.engine import Engine
from forms.sheets import excel_in
from forms.sheets.excel_in import SheetRead, cell_text
from forms.sheets.sheet_guard import column_letters
from forms.store import import_plan
from forms.store.import_plan import ImportMode, ImportPlan
from forms.store.workspace import Workspace
from gui import import_modes, worker
from gui.frame_model import FrameModel

PREVIEW_ROWS = 20
IGNORE = "（不导入）"


@dataclass
class Sheet:
    """A sheet as read: what forms.sheets.excel_in found in it, and its cells for re-mapping columns."""

    read: SheetRead
    cells: list[list[object]]

    def header_index(self) -> int:
        """0-based row of the header (the first row when none was found)."""
        return max(self.read.header_row - 1, 0)

    def data_rows(self) -> list[int]:
        """0-based rows holding people: those excel_in kept, or every filled row under row 1."""
        if self.read.mapping:
            return [number - 1 for number in self.read.numbers]
        return [n for n, row in enumerate(self.cells) if n > 0 and any(cell_text(v).strip() for v in row)]

    def width(self) -> int:
        return max((len(self.cells[n]) for n in [self.header_index(), *self.data_rows()[:PREVIEW_ROWS]]
                    if n < len(self.cells)), default=0)

    def text(self, row: int, col: int) -> str:
        cells = self.cells[row] if row < len(self.cells) else []
        return cell_text(cells[col]).strip() if col < len(cells) else ""


def read(path: str | Path, form: str) -> list[Sheet]:
    """Every sheet of the file with its cells (runs on the worker thread). Raises ReadError."""
    return [Sheet(read, cells) for read, cells in excel_in.read_file_with_cells(path, form=form)]


def raws_for(sheet: Sheet, mapping: dict[int, str]) -> list[dict[str, str]]:
    """The sheet's people as raw text by column key, under `mapping` (several 单位 columns are joined)."""
    raws = []
    for row in sheet.data_rows():
        raw: dict[str, str] = {}
        for col, key in sorted(mapping.items()):
            text = sheet.text(row, col)
            if key == "unit" and raw.get(key):
                raw[key] = f"{raw[key]} {text}".strip()
            elif key not in raw:
                raw[key] = text
        raw.pop("serial", None)  # 序号 is the row's place, numbered afresh
        if any(raw.values()):
            raws.append(raw)
    return raws


def count_errors(ws: Workspace, frame_id: int, raws: list[dict[str, str]]) -> int:
    """How many of `raws` would have an error, checked together on a scratch engine (worker thread)."""
    engine = Engine(ws.campaign)
    engine.add_frame(0, ws.frame(frame_id).form)
    norms = [ws.normalise(frame_id, raw) for raw in raws]
    engine.load(((0, n), norm.values, norm.notes, float(n)) for n, norm in enumerate(norms))
    return sum(engine.row_counts((0, n))[0] > 0 for n in range(len(raws)))


def prepare(model: FrameModel, path: str, parent: QWidget | None) -> ImportDialog | None:
    """Read `path` behind a progress dialog; the preview dialog, or None (the clerk was told why)."""
    name = Path(path).name
    outcome = worker.run_modal(parent, f"正在读取“{name}”…", lambda _p: read(path, model.form.number))
    if outcome.error is not None:
        QMessageBox.warning(parent, "无法导入", worker.error_message(outcome.error))
    if not outcome.ok:
        return None
    return ImportDialog(model, path, outcome.value, parent)


class ImportDialog(QDialog):
    """The import preview: header row, first rows, a mapping drop-down per column, rows and errors to come."""

    def __init__(self, model: FrameModel, path: str, sheets: list[Sheet], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model, self.path, self.sheets = model, path, sheets
        self.sheet = max(sheets, key=lambda s: len(s.data_rows()))
        self.setWindowTitle(f"导入到{model.ws.frame(model.frame_id).label}")
        self.resize(1000, 620)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.sheet_box = QComboBox()
        self.sheet_box.addItems([s.read.sheet for s in sheets])
        self.sheet_box.setCurrentIndex(sheets.index(self.sheet))
        self.sheet_box.setVisible(len(sheets) > 1)
        self.sheet_box.currentIndexChanged.connect(self._choose_sheet)
        self.preview = QTableWidget()
        self.findings = QLabel()
        self.findings.setWordWrap(True)
        self.summary = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        present = model.ws.engine.row_count(model.frame_id)
        self.mode_box = import_modes.ModeBox(present) if present else None
        self.existing = import_plan.existing_rows(model.ws, model.frame_id, model.all_ids) if present else []
        layout = QVBoxLayout(self)
        for widget in (self.where, self.sheet_box, self.preview, self.findings, self.summary, self.mode_box,
                       self.buttons):
            if widget is not None:
                layout.addWidget(widget, 1 if widget is self.preview else 0)
        self.combos: list[QComboBox] = []
        self._job: worker.Job | None = None
        self._generation = 0
        self._show_sheet()

    def _choose_sheet(self, index: int) -> None:
        self.sheet = self.sheets[index]
        self._show_sheet()

    def _show_sheet(self) -> None:
        sheet, read_ = self.sheet, self.sheet.read
        found = f"表头在第{sheet.header_index() + 1}行" if read_.mapping else "没有找到表头，暂按第1行当作表头"
        self.where.setText(f"文件：{Path(self.path).name}　工作表：{read_.sheet}　{found}。\n"
                           "下面是前几行的预览。请检查每一列对应到哪一项，不对的在下拉框中改正；不需要的列选“不导入”。")
        self._fill_preview()
        messages = [f.message for f in read_.findings]
        self.findings.setText("\n".join(messages))
        self.findings.setStyleSheet("color: #b00020;" if any(f.severity is Severity.ERROR for f in read_.findings)
                                    else "color: #8a5a00;")
        self.findings.setVisible(bool(messages))
        self._recount()

    def _fill_preview(self) -> None:
        sheet = self.sheet
        rows, width = sheet.data_rows()[:PREVIEW_ROWS], sheet.width()
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(rows) + 1)
        self.preview.setHorizontalHeaderLabels([f"{column_letters(c + 1)} {sheet.text(sheet.header_index(), c)}".strip()
                                                for c in range(width)])
        self.preview.setVerticalHeaderLabels(["对应到"] + [str(r + 1) for r in rows])
        self.combos = [self._combo(c) for c in range(width)]
        for c, combo in enumerate(self.combos):
            self.preview.setCellWidget(0, c, combo)
            for n, row in enumerate(rows, start=1):
                self.preview.setItem(n, c, QTableWidgetItem(sheet.text(row, c)))
        self.preview.resizeColumnsToContents()
        for c in range(width):
            self.preview.setColumnWidth(c, min(max(self.preview.columnWidth(c), 110), 260))

    def _combo(self, col: int) -> QComboBox:
        combo = QComboBox()
        combo.addItem(IGNORE, "")
        for column in self.model.columns:
            combo.addItem("序号（自动编号）" if column.key == "serial" else column.header, column.key)
        key = self.sheet.read.mapping.get(col)
        combo.setCurrentIndex(max(combo.findData(key), 0) if key else 0)
        combo.currentIndexChanged.connect(lambda _i: self._recount())
        return combo

    def mapping(self) -> dict[int, str]:
        """Source column → frame column key, as the drop-downs say now."""
        return {c: combo.currentData() for c, combo in enumerate(self.combos) if combo.currentData()}

    def set_mapping(self, col: int, key: str | None) -> None:
        combo = self.combos[col]
        combo.setCurrentIndex(max(combo.findData(key), 0) if key else 0)

    def raws(self) -> list[dict[str, str]]:
        return raws_for(self.sheet, self.mapping())

    def mode(self) -> ImportMode:
        """How the rows go in: appended to an empty frame, else as the clerk chose (按人合并 unless changed)."""
        return self.mode_box.mode() if self.mode_box is not None else ImportMode.APPEND

    def _recount(self) -> None:
        """Count rows and rows with errors in the background; a newer count supersedes an older one."""
        raws = self.raws()
        self._generation += 1
        generation = self._generation
        self.summary.setText(f"将导入 {len(raws)} 行；正在检查其中有错误的行…")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(raws))
        ws, frame_id, model, existing = self.model.ws, self.model.frame_id, self.model, self.existing

        def work(_progress: object) -> tuple[int, dict[ImportMode, ImportPlan] | None]:
            found = import_modes.plans(model, existing, raws) if existing else None
            return count_errors(ws, frame_id, raws), found

        self._job = worker.start(work, lambda outcome: self._counted(generation, len(raws), outcome), self)

    def _counted(self, generation: int, rows: int, outcome: worker.Outcome) -> None:
        if generation != self._generation:
            return
        if not outcome.ok:
            self.summary.setText(f"将导入 {rows} 行。")
            return
        errors, found = outcome.value
        if self.mode_box is not None:
            self.mode_box.show_plans(found)
        self.summary.setText(f"将导入 {rows} 行，其中 {errors} 行有错误（导入后可在问题列表中逐条改正）。"
                             if errors else f"将导入 {rows} 行，没有发现错误。")
        self.summary.setStyleSheet("color: #b00020;" if errors else "color: #1b7f3a;")
