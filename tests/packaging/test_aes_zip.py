"""packaging.aes_zip: the intake's AES reader derives each key with hashlib; it must read exactly what pyzipper
reads, refuse a wrong password as pyzipper does and notice a changed byte by the HMAC."""

from __future__ import annotations

import os
import subprocess
import zipfile
from pathlib import Path

import pytest
import pyzipper
from hypothesis import given, settings
from hypothesis import strategies as st

from packaging.aes_zip import AESZipFile

PASSWORD = b"K7PM-Q4XR-W9TF-H3JD-N6CB"


def _write(path: Path, members: dict[str, bytes], nbits: int = 256, password: bytes = PASSWORD) -> Path:
    with pyzipper.AESZipFile(path, "w", compression=pyzipper.ZIP_DEFLATED, encryption=pyzipper.WZ_AES,
                             encryption_kwargs={"nbits": nbits}) as zf:
        zf.setpassword(password)
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@settings(max_examples=25, deadline=None)
@given(data=st.binary(max_size=5000), nbits=st.sampled_from([128, 192, 256]))
def test_reads_what_pyzipper_reads_at_every_key_length(tmp_path_factory: pytest.TempPathFactory, data: bytes,
                                                       nbits: int) -> None:
    path = _write(tmp_path_factory.mktemp("aes") / "a.zip", {"附件2.xlsx": data, "b.csv": data[::-1]}, nbits)
    with AESZipFile(path) as ours, pyzipper.AESZipFile(path) as theirs:
        ours.setpassword(PASSWORD)
        theirs.setpassword(PASSWORD)
        assert [ours.read(n) for n in ours.namelist()] == [theirs.read(n) for n in theirs.namelist()] == [
            data, data[::-1]]


def test_reads_an_archive_7zip_made(tmp_path: Path, sevenzip: str) -> None:
    source = tmp_path / "附件2.xlsx"
    source.write_bytes(os.urandom(3000) + b"x" * 200_000)
    made = tmp_path / "by7z.zip"
    subprocess.run([sevenzip, "a", "-tzip", "-mem=AES256", f"-p{PASSWORD.decode()}", str(made), str(source)],
                   check=True, capture_output=True)
    with AESZipFile(made) as zf:
        info = zf.infolist()[0]
        assert info.wz_aes_strength == 3
        assert zf.read(info, pwd=PASSWORD) == source.read_bytes()


def test_a_wrong_password_is_refused_as_pyzipper_refuses_it(tmp_path: Path) -> None:
    path = _write(tmp_path / "a.zip", {"a.csv": b"1,2,3\n" * 100})
    for reader in (AESZipFile, pyzipper.AESZipFile):
        with reader(path) as zf, pytest.raises(RuntimeError, match="Bad password"):
            zf.read("a.csv", pwd=b"K7PM-Q4XR-W9TF-H3JD-N6CX")


def test_a_changed_byte_fails_the_hmac(tmp_path: Path) -> None:
    data = os.urandom(4000)
    path = _write(tmp_path / "a.zip", {"a.bin": data})
    raw = bytearray(path.read_bytes())
    raw[30 + len("a.bin") + 11 + 16 + 2 + 100] ^= 0x01  # local header, AES extra field, salt and verifier, then data
    path.write_bytes(bytes(raw))
    with AESZipFile(path) as zf, pytest.raises(pyzipper.BadZipFile, match="HMAC"):
        zf.read("a.bin", pwd=PASSWORD)


def test_zipcrypto_and_plain_members_still_read(tmp_path: Path) -> None:
    path = tmp_path / "plain.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a.csv", b"plain")
    with AESZipFile(path) as zf:
        assert zf.read("a.csv") == b"plain"
