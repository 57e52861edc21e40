"""Write icon.png: the extension's 128x128 icon (three boxes wired like a design diagram), with no image library.

Run it from this folder after changing the drawing: python make_icon.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 128
BACK = (31, 58, 96)        # deep blue
BOX = (242, 244, 247)      # off-white
WIRE = (255, 183, 77)      # amber


def pixel(x: int, y: int) -> tuple[int, int, int, int]:
    """Return the colour of one pixel: a rounded square, two boxes feeding a third, amber wires."""
    r = 22
    cx, cy = min(max(x, r), SIZE - 1 - r), min(max(y, r), SIZE - 1 - r)
    if (x - cx) ** 2 + (y - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    boxes = [(18, 22, 54, 48), (18, 80, 54, 106), (74, 51, 110, 77)]
    if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes):
        return (*BOX, 255)
    wires = [(54, 35, 64, 38), (54, 92, 64, 95), (62, 35, 65, 95), (62, 62, 74, 65)]
    if any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in wires):
        return (*WIRE, 255)
    return (*BACK, 255)


def png() -> bytes:
    rows = b"".join(b"\0" + bytes(c for x in range(SIZE) for c in pixel(x, y)) for y in range(SIZE))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    (Path(__file__).parent / "icon.png").write_bytes(png())
