"""Draw the program's icon (报 on a rounded blue square) with Qt and write baosong.ico and baosong.png.

Run once by hand (`python installer/make_icon.py`) when the icon should change; the results are
committed, so a build needs neither this script nor any image library. No download: Qt draws it,
the .ico is packed here (BMP entries up to 128 px for old shells, a PNG entry at 256 px).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt  # noqa: E402, TID251
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPainterPath  # noqa: E402, TID251

HERE = Path(__file__).resolve().parent
SIZES = (16, 24, 32, 48, 64, 128, 256)
BLUE, WHITE, RED = QColor("#1f5fa8"), QColor("#ffffff"), QColor("#d6372b")
FAMILIES = ["Microsoft YaHei", "SimHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Sans SC"]


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    margin = max(1.0, size / 32)
    square = QRectF(margin, margin, size - 2 * margin, size - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(square, size / 6, size / 6)
    painter.fillPath(path, BLUE)
    if size >= 32:  # a red tick in the corner: "checked, ready to send"
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(RED)
        painter.drawEllipse(QRectF(size * 0.74, size * 0.05, size * 0.21, size * 0.21))
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setBold(True)
    font.setPixelSize(int(size * 0.64))
    painter.setFont(font)
    painter.setPen(WHITE)
    painter.drawText(square, int(Qt.AlignmentFlag.AlignCenter), "报")
    painter.end()
    return image


def png_bytes(image: QImage) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def bmp_entry(image: QImage) -> bytes:
    """A 32-bit DIB as .ico stores it: header with double height, rows bottom-up (BGRA), an empty AND mask."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = [bytes(image.constScanLine(y))[: size * 4] for y in range(size)]  # ARGB32 is BGRA in memory
    mask_row = b"\0" * (((size + 31) // 32) * 4)
    return header + b"".join(reversed(rows)) + mask_row * size


def ico_bytes(images: list[QImage]) -> bytes:
    blobs = [png_bytes(i) if i.width() >= 256 else bmp_entry(i) for i in images]
    offset = 6 + 16 * len(images)
    directory = b""
    for image, blob in zip(images, blobs, strict=True):
        side = image.width() % 256  # 0 means 256
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
    return struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(blobs)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    images = [draw(size) for size in SIZES]
    (HERE / "baosong.ico").write_bytes(ico_bytes(images))
    images[-1].save(str(HERE / "baosong.png"), "PNG")
    print(f"wrote {HERE / 'baosong.ico'} ({len(SIZES)} sizes) and {HERE / 'baosong.png'}")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
