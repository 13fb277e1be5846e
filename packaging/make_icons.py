"""Render resources/app-icon.svg into the Windows .ico and the macOS .icns.

    QT_QPA_PLATFORM=offscreen python packaging/make_icons.py

Writes resources/icons/app.ico and app.icns; both are committed, so building an
installer needs no image tools. Both containers hold PNG images (ICO since Windows Vista, ICNS
since macOS 10.7), so Qt's renderer is all it takes. Run it again whenever the SVG changes.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SOURCE_SVG = RESOURCES / "app-icon.svg"
ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
# ICNS element types holding PNG data, by pixel size (the @2x types reuse the larger renders).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"ic11", 32),
    (b"icp6", 64),
    (b"ic12", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic13", 256),
    (b"ic09", 512),
    (b"ic14", 512),
    (b"ic10", 1024),
)


def render_png(svg: Path, size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data)


def ico_bytes(pngs: dict[int, bytes]) -> bytes:
    sizes = sorted(pngs)
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    directory, images = b"", b""
    for size in sizes:
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        directory += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(pngs[size]), offset)
        images += pngs[size]
        offset += len(pngs[size])
    return header + directory + images


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    _application = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    sizes = set(ICO_SIZES) | {size for _, size in ICNS_TYPES}
    pngs = {size: render_png(SOURCE_SVG, size) for size in sorted(sizes)}
    icons = RESOURCES / "icons"
    icons.mkdir(exist_ok=True)
    (icons / "app.ico").write_bytes(ico_bytes({size: pngs[size] for size in ICO_SIZES}))
    (icons / "app.icns").write_bytes(icns_bytes(pngs))
    for name in ("app.ico", "app.icns"):
        print(f"{icons / name}: {(icons / name).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
