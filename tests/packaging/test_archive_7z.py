"""The archive opened by the real 7-Zip, as the office will open it."""

from __future__ import annotations

import hashlib
import re
import subprocess
from pathlib import Path

from packaging import archive
from packaging.archive import build_archive

PASSWORD = "K7PM-Q4XR-W9TF-H3JD-N6CB"


def run_7z(sevenzip: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sevenzip, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL
    )


def test_7z_extracts_every_member_equal_to_its_source(
    sevenzip: str, tmp_path: Path, frames: list[Path]
) -> None:
    result = build_archive(
        tmp_path / "报送", "南宁市公安局_2015年度社会评价抽样框_20151110.zip", frames, PASSWORD
    )
    out = tmp_path / "解压"
    done = run_7z(sevenzip, "x", f"-p{PASSWORD}", f"-o{out}", "-y", str(result.path))
    assert done.returncode == 0, done.stdout + done.stderr
    extracted = sorted(p.name for p in out.iterdir())
    assert extracted == sorted(f.name for f in frames)  # Chinese names come out right
    for frame in frames:
        assert (out / frame.name).read_bytes() == frame.read_bytes()
    for member in result.members:
        assert hashlib.sha256((out / member.arcname).read_bytes()).hexdigest() == member.sha256


def test_7z_refuses_a_wrong_password(sevenzip: str, tmp_path: Path, frames: list[Path]) -> None:
    result = build_archive(tmp_path, "a.zip", frames, PASSWORD)
    for wrong in (PASSWORD.replace("-", ""), PASSWORD.lower(), "K7PM-Q4XR-W9TF-H3JD-N6CC"):
        out = tmp_path / f"wrong-{wrong}"
        done = run_7z(sevenzip, "x", f"-p{wrong}", f"-o{out}", "-y", str(result.path))
        assert done.returncode == 2
        assert "Wrong password" in done.stdout + done.stderr
        assert not any(p.is_file() and p.stat().st_size for p in out.rglob("*"))


def test_7z_lists_aes256_and_utf8_names(
    sevenzip: str, tmp_path: Path, frames: list[Path], questionnaire: Path
) -> None:
    plan = archive.plan_bundle(frames, [questionnaire], questionnaires_inside=True)
    result = build_archive(tmp_path, "a.zip", plan.members, PASSWORD)
    done = run_7z(sevenzip, "l", "-slt", f"-p{PASSWORD}", str(result.path))
    assert done.returncode == 0, done.stdout + done.stderr
    blocks = done.stdout.split("\n\n")
    members = [b for b in blocks if "Method = " in b]
    assert len(members) == len(plan.members)
    for block in members:
        assert re.search(r"^Method = AES-256 ", block, re.M)
        assert re.search(r"^Encrypted = \+", block, re.M)
        assert "UTF8" in block
    paths = re.findall(r"^Path = (.+)$", "\n".join(members), re.M)
    assert paths == [m.arcname for m in result.members]
    assert f"评议问卷/{questionnaire.name}" in paths


def test_7z_extracts_the_questionnaire_folder(
    sevenzip: str, tmp_path: Path, frames: list[Path], questionnaire: Path
) -> None:
    plan = archive.plan_bundle(frames, [questionnaire], questionnaires_inside=True)
    result = build_archive(tmp_path, "a.zip", plan.members, PASSWORD)
    out = tmp_path / "解压"
    done = run_7z(sevenzip, "x", f"-p{PASSWORD}", f"-o{out}", "-y", str(result.path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert (out / "评议问卷" / questionnaire.name).read_bytes() == questionnaire.read_bytes()
