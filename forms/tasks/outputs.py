"""What an export wrote into a folder, kept in the workspace, so the next export replaces it.

An export that follows a fixed `_未完成` must not leave `附件9_….docx` beside `附件9_…_未完成.docx`: the clerk
could send the wrong one. The workspace keeps, per folder, the name and SHA-256 of every file it wrote
there. The next export into that folder removes what it wrote before and did not write again, and only
when the file is still exactly what it wrote (a file the clerk edited or replaced since is left, and
named). Nothing it did not write is ever touched. Part of the tasks room (forms.tasks.outputs).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from forms.store.workspace import Workspace

MANIFEST_KEY = "outputs"
INCOMPLETE = "_未完成"


@dataclass
class Settled:
    """What an export did to its folder beyond writing: files it removed, files it left because they changed."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    kept_changed: list[Path] = field(default_factory=list)  # ours before, edited since: not removed
    locked: list[Path] = field(default_factory=list)  # ours and stale, but could not be removed (open elsewhere)

    def removed_lines(self) -> list[str]:
        return [f"已删除上次导出的旧文件：{p.name}" for p in self.removed]

    def warning_lines(self) -> list[str]:
        """Stale files of ours that are still there, and why, one Chinese sentence a file."""
        return ([f"上次导出的“{p.name}”导出后被修改过，没有删除：请确认后自行处理，以免误发旧文件。"
                   for p in self.kept_changed]
                + [f"上次导出的旧文件“{p.name}”无法删除（可能正被Excel、Word或WPS打开）：请关闭后重新导出，或手动删除。"
                   for p in self.locked])

    def lines(self) -> list[str]:
        return self.removed_lines() + self.warning_lines()


def base_name(name: str) -> str:
    """The name without its `_未完成` mark: `附件3_…_未完成.xlsx` and `附件3_….xlsx` are one deliverable."""
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        return name.removesuffix(INCOMPLETE)
    return f"{stem.removesuffix(INCOMPLETE)}.{suffix}"


def file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as fh:
            return hashlib.file_digest(fh, "sha256").hexdigest()
    except OSError:
        return None


def folder_key(folder: Path) -> str:
    """The folder as the manifest names it: absolute and resolved, so `out` and `./out` are one."""
    return os.path.normcase(str(folder.resolve()))


def _load(ws: Workspace) -> dict[str, dict[str, dict[str, str]]]:
    try:
        data = json.loads(ws.text(MANIFEST_KEY, "") or "{}")
    except ValueError:
        return {}  # an unreadable manifest only means nothing is known to be ours: nothing is removed
    if not isinstance(data, dict):
        return {}
    return {str(k): _entries(v) for k, v in data.items() if isinstance(v, dict)}


def _entries(data: dict[str, Any]) -> dict[str, dict[str, str]]:
    # a name is a plain file name of the folder: an entry pointing elsewhere ("../x") is never ours
    return {str(name): {"sha256": str(e.get("sha256", "")), "what": str(e.get("what", ""))}
            for name, e in data.items() if isinstance(e, dict) and _plain(str(name))}


def _plain(name: str) -> bool:
    return bool(name) and name not in (".", "..") and Path(name).name == name and "\\" not in name


def snapshot(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Each file of the folder with what changes when it is (re)written: inode, size, modification time."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return {}
    found = {}
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False):
                st = entry.stat(follow_symlinks=False)
                found[entry.name] = (st.st_ino, st.st_size, st.st_mtime_ns)
        except OSError:
            continue
    return found


def with_siblings(folder: Path, before: dict[str, tuple[int, int, int]], written: Iterable[Path]) -> list[Path]:
    """The files written, plus those created or replaced in `folder` since `before` under the same stem
    (the PDF written beside a .docx): an export's outputs, and never a stranger's file."""
    paths = [Path(p) for p in written]
    stems = {p.stem for p in paths}
    fresh = [folder / name for name, stamp in snapshot(folder).items()
             if before.get(name) != stamp and Path(name).stem in stems]
    return list(dict.fromkeys([*paths, *fresh]))


def settle(ws: Workspace, folder: Path, written: Iterable[Path], what: Callable[[Path], str] = lambda p: "",
           scope: Callable[[str, dict[str, str]], bool] | None = None) -> Settled:
    """Record what was just written into `folder`; remove what an earlier export wrote there and is now stale.

    `scope` says which earlier entries this export answers for (name, entry → bool): all of them for an
    export of everything, one deliverable's for a single file. Stale entries out of scope stay recorded.
    """
    folder = Path(folder)
    manifest = _load(ws)
    key = folder_key(folder)
    before = manifest.get(key, {})
    now = {p.name: {"sha256": file_digest(p) or "", "what": what(p)} for p in map(Path, written) if p.exists()}
    result = Settled(written=[folder / name for name in now])
    kept: dict[str, dict[str, str]] = {}
    for name, entry in before.items():
        if name in now:
            continue
        if scope is not None and not scope(name, entry):
            kept[name] = entry
            continue
        _remove_stale(folder / name, entry, result, kept)
    manifest[key] = {**kept, **now}
    ws.set_text(MANIFEST_KEY, json.dumps(manifest, ensure_ascii=False))
    return result


def _remove_stale(path: Path, entry: dict[str, str], result: Settled, kept: dict[str, dict[str, str]]) -> None:
    digest = file_digest(path)
    if digest is None:
        return  # gone already (the clerk deleted or moved it): nothing to do, and no longer recorded
    if digest != entry["sha256"]:
        result.kept_changed.append(path)
        return  # no longer what we wrote: it is the clerk's now, and no longer ours to track
    try:
        path.unlink()
    except OSError:
        kept[path.name] = entry  # locked (open in Excel/Word): still ours, tried again next time
        result.locked.append(path)
        return
    result.removed.append(path)


def same_deliverable(names: Iterable[str], whats: Iterable[str] = ()) -> Callable[[str, dict[str, str]], bool]:
    """The scope of a single export: earlier files of the same deliverable (by name or by what they were)."""
    bases = {base_name(n) for n in names}
    labels = {w for w in whats if w}
    return lambda name, entry: base_name(name) in bases or (bool(labels) and entry.get("what", "") in labels)
