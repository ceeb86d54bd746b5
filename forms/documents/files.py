"""Writing document files safely, counting PDF pages, and LibreOffice as a second reader where present."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from forms.base import scratch
from forms.base.errors import disk_full_message, is_disk_full
from forms.base.file_errors import os_reason


class DocumentWriteError(OSError):
    """A known error of the clerk's machine (file open in Word, folder read-only, disk full), in Chinese."""


def atomic_write(path: str | os.PathLike[str], write: Callable[[BinaryIO], None]) -> Path:
    """Write a file through a temporary file in the same folder, then replace: never a half-written file.

    The file gets the user's normal permissions (the umask's, as any program's new file): the clerk
    mails it and opens it in Word, so not mkstemp's owner-only 0600. The temp file is recorded in the
    scratch folder, so one a crash left is swept at the next start."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _write_error(exc, target, opening=True) from exc
    with scratch.beside(target) as tmp:
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except OSError as exc:
            raise _write_error(exc, target, opening=True) from exc
        try:
            with os.fdopen(fd, "wb") as fh:
                # built in memory first (a document is small): the zip inside a .docx is then complete before a
                # byte reaches the disk, and a full disk fails one plain write, not a zip that its finaliser
                # retries later ("Exception ignored … seek of closed file")
                buffer = io.BytesIO()
                write(buffer)
                fh.write(buffer.getbuffer())
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except OSError as exc:
            raise _write_error(exc, target, opening=False) from exc
    return target


def _write_error(exc: OSError, target: Path, opening: bool) -> DocumentWriteError:
    if is_disk_full(exc):
        said = disk_full_message(target.parent)
        return DocumentWriteError(said if opening else f"写入“{target.name}”失败：{said}")
    if opening:
        return DocumentWriteError(f"无法在“{target.parent}”中写入文件：{os_reason(exc)}")
    if isinstance(exc, PermissionError):
        return DocumentWriteError(f"文件“{target.name}”正被其他程序（如Word、WPS）打开或为只读，请关闭后重试。")
    return DocumentWriteError(f"写入“{target.name}”失败：{os_reason(exc)}")


_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def pdf_page_count(path: str | os.PathLike[str]) -> int:
    """Pages of a PDF written by us or by LibreOffice (both write plain page objects)."""
    data = Path(path).read_bytes()
    return len(_PAGE.findall(data))


def soffice() -> str | None:
    """The LibreOffice program, if installed (PATH, then the usual Windows folders)."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for base in (os.environ.get("PROGRAMFILES", ""), os.environ.get("PROGRAMFILES(X86)", "")):
        candidate = Path(base, "LibreOffice", "program", "soffice.exe")
        if base and candidate.exists():
            return str(candidate)
    return None


def libreoffice_pdf(docx: str | os.PathLike[str], outdir: str | os.PathLike[str],
                    timeout: float = 120) -> Path | None:
    """Convert a .docx to PDF with LibreOffice headless; None when LibreOffice is absent.

    A private profile folder keeps it from clashing with a LibreOffice the clerk has open.
    Raises RuntimeError when LibreOffice runs but produces no PDF.
    """
    program = soffice()
    if program is None:
        return None
    source, out = Path(docx), Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir(), "baosong-lo-profile").as_uri()
    command = [program, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(out), str(source)]
    done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    pdf = out / (source.stem + ".pdf")
    if done.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"LibreOffice could not convert {source.name}: {done.stderr.decode(errors='replace')}")
    return pdf
