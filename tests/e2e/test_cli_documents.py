"""`export` writes every deliverable the department owes; `import --form 9|10|11|report-…` fills the texts."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

from tests.e2e.test_cli_check import main_py

SECTIONS = ("重点工作任务完成情况", "工作创新和亮点", "工作难点和薄弱环节")


def analysis_docx(path: Path) -> Path:
    document = docx.Document()
    for n, name in enumerate(SECTIONS, start=1):
        document.add_heading(f"{'一二三'[n - 1]}、{name}", level=1)
        document.add_paragraph(f"第{n}部分的正文，全年推进各项工作。")
    document.save(path)
    return path


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("docs")
    ws = str(folder / "w.baosong")
    assert main_py("new", ws, "--department", "自治区测试厅", "--kind", "gov").returncode == 0
    assert main_py("import", ws, str(analysis_docx(folder / "分析.docx")), "--form", "9").returncode == 0
    report = folder / "整改.txt"
    report.write_text("一、存在问题\n问题若干。\n二、整改措施\n措施若干。\n", encoding="gbk")
    assert main_py("import", ws, str(report), "--form", "report-rectification").returncode == 0
    result = main_py("export", ws, "--out", str(folder / "out"))
    assert result.returncode == 0, result.stderr
    return folder / "out", result.stderr


def test_every_deliverable_is_written_and_named_after_its_attachment(exported: tuple[Path, str]) -> None:
    names = sorted(p.name for p in exported[0].iterdir())
    assert "附件9_自治区测试厅_领导评价表.docx" in names
    assert "自治区测试厅_整改情况报告.docx" in names
    assert any(n.startswith("附件2_自治区测试厅_") and n.endswith("_未完成.xlsx") for n in names)
    assert any(n.startswith("附件8_") and n.endswith(".docx") for n in names)
    assert any(n.startswith("附件8_") and n.endswith(".xlsx") for n in names)


def test_unfinished_ones_are_listed_on_stderr(exported: tuple[Path, str]) -> None:
    out, stderr = exported
    for path in out.iterdir():
        assert ("_未完成" in path.name) == (path.name in stderr)
    assert "热点" in stderr  # no work item yet: said, not silently skipped


def test_the_leader_form_carries_the_imported_analysis(exported: tuple[Path, str]) -> None:
    document = docx.Document(str(exported[0] / "附件9_自治区测试厅_领导评价表.docx"))
    text = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    for n in range(1, 4):
        assert f"第{n}部分的正文" in text
    assert "评价对象:自治区测试厅" in "\n".join(p.text for p in document.paragraphs) + text


def test_importing_the_wrong_leader_form_is_refused(tmp_path: Path) -> None:
    ws = str(tmp_path / "w.baosong")
    main_py("new", ws, "--department", "测试", "--kind", "pub")
    result = main_py("import", ws, str(analysis_docx(tmp_path / "a.docx")), "--form", "9")
    assert result.returncode == 2 and "附件11" in result.stderr


def test_export_dates_the_files_with_date_and_keeps_it(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    ws = str(tmp_path / "w.baosong")
    assert main_py("new", ws, "--department", "自治区测试厅", "--kind", "gov").returncode == 0
    bad = main_py("export", ws, "--out", str(tmp_path / "out"), "--date", "2015-02-30")
    assert bad.returncode == 2 and "不是有效的日期" in bad.stderr
    assert main_py("export", ws, "--out", str(tmp_path / "out"), "--date", "2015-11-10").returncode == 0
    again = main_py("export", ws, "--out", str(tmp_path / "again"))  # the date stays with the workspace
    assert again.returncode == 0 and "2015-11-10" in again.stderr
    frame = next((tmp_path / "again").glob("附件2_*.xlsx"))
    head = " ".join(str(c.value) for c in load_workbook(frame).active[2] if c.value)
    assert "报送时间:2015年11月10日" in head
    assert sorted(p.suffix for p in (tmp_path / "again").iterdir()).count(".pdf") == 4  # 附件8, 9, 2 reports
