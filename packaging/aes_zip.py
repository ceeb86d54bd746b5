"""Reading AES-encrypted zips (WinZip AE-1/AE-2, what packaging.archive writes) with pyzipper, the key
derived by the standard library.

pyzipper derives each member's key with pycryptodome's PBKDF2: about a hundred small calls into C, each of
which lets go of the interpreter's lock and must wait to take it back while another thread runs Python (up to
the 5 ms switch interval). The intake reads a few archives at once beside its checks, so those waits added up
to a tenth of its time. hashlib.pbkdf2_hmac (OpenSSL) derives the same key in one call. The key material, the
password verifier and the HMAC check are as the WinZip AES specification and pyzipper have them.
"""

from __future__ import annotations

import hashlib
import hmac
import struct
import zipfile
from typing import Any

import pyzipper
from Cryptodome.Cipher import AES
from Cryptodome.Util import Counter
from pyzipper.zipfile_aes import WZ_KEY_LENGTHS, WZ_SALT_LENGTHS, AESZipDecrypter, AESZipExtFile

_ITERATIONS = 1000  # fixed by the WinZip AES specification
_VERIFIER = 2  # bytes of the password verifier after the two keys


class _Decrypter(AESZipDecrypter):
    def __init__(self, zinfo: zipfile.ZipInfo, pwd: bytes, encryption_header: bytes) -> None:  # noqa: D107
        self.filename = zinfo.filename
        key_length = WZ_KEY_LENGTHS[zinfo.wz_aes_strength]  # type: ignore[attr-defined]
        salt_length = WZ_SALT_LENGTHS[zinfo.wz_aes_strength]  # type: ignore[attr-defined]
        salt, verifier = struct.unpack(f"<{salt_length}s", encryption_header[:salt_length])[0], encryption_header[salt_length:]
        material = hashlib.pbkdf2_hmac("sha1", pwd, salt, _ITERATIONS, 2 * key_length + _VERIFIER)
        if material[2 * key_length:] != verifier:
            raise RuntimeError(f"Bad password for file {zinfo.filename!r}")  # pyzipper's error, callers expect it
        self.decypter = AES.new(material[:key_length], AES.MODE_CTR, counter=Counter.new(nbits=128, little_endian=True))
        self.hmac: Any = hmac.new(material[key_length : 2 * key_length], digestmod=hashlib.sha1)


class _ExtFile(AESZipExtFile):
    def setup_aeszipdecrypter(self) -> type[AESZipDecrypter]:
        super().setup_aeszipdecrypter()
        return _Decrypter


class AESZipFile(pyzipper.AESZipFile):
    """pyzipper.AESZipFile whose AES members are read with the key derived by hashlib."""

    zipextfile_cls = _ExtFile


__all__ = ["AESZipFile"]
