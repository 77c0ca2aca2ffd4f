"""Image bilag without their metadata: a lossless, byte-level filter run before Typst embeds the image.

A photo from a phone carries where and when it was taken (EXIF GPS, dates, camera serial numbers), often a
thumbnail of the uncropped original, XMP edit history, IPTC captions and comments. Typst copies a JPEG's
bytes into the PDF as they are, so all of it would be published. The pixels are never decoded or re-encoded
here; only whole segments (JPEG) or chunks (PNG) are left out:

- JPEG: kept are the segments needed to decode and colour the image — APP0 `JFIF`, APP2 `ICC_PROFILE`,
  APP14 `Adobe` (colour transform of CMYK/YCCK), DQT, DHT, SOF, SOS, DRI and the scan data. Dropped are APP1
  (EXIF, XMP), the other APP2 (MPF: extra pictures), APP3–APP13 (IPTC/Photoshop …), APP15, COM, and
  anything after the end-of-image marker. The EXIF orientation is the one EXIF value that changes how
  the image looks: when it is not "upright" (1), a minimal EXIF segment with only that tag is written back,
  so Typst turns the picture as before (and as every viewer did).
- PNG: kept are the chunks that define the picture (IHDR, PLTE, IDAT, IEND, tRNS, gAMA, cHRM, sRGB, iCCP,
  sBIT, pHYs, bKGD) and the animation chunks; dropped are tEXt, zTXt, iTXt, eXIf (but for its orientation,
  written back alone as for a JPEG), tIME and every other ancillary chunk.

A file the filter cannot follow is returned as None; the caller then refuses it rather than embed it raw.
"""

from __future__ import annotations

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT", b"pHYs",
            b"bKGD", b"acTL", b"fcTL", b"fdAT"}
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7: markers without a length
_SOF = {*range(0xC0, 0xD0)} - {0xC4, 0xC8, 0xCC}  # start-of-frame markers (not DHT, JPG, DAC)
MAX_PIXELS = 100_000_000  # 100 megapixels: a 12,000 x 8,000 scan; Typst decodes a PNG into memory whole
HEAD_BYTES = 4 * 1024 * 1024  # where a JPEG's frame header is found, after its APP segments


def dimensions(head: bytes) -> tuple[int, int] | None:
    """Width and height from a PNG's IHDR or a JPEG's frame header in the file's first bytes, or None."""
    if head.startswith(PNG_SIGNATURE) and head[12:16] == b"IHDR" and len(head) >= 24:
        width, height = struct.unpack(">II", head[16:24])
        return width, height
    if not head.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(head):
        if head[pos] != 0xFF:
            return None
        marker = head[pos + 1]
        if marker in _STANDALONE or marker == 0xFF:
            pos += 1 if marker == 0xFF else 2
            continue
        (length,) = struct.unpack(">H", head[pos + 2:pos + 4])
        if marker in _SOF and pos + 9 <= len(head):
            height, width = struct.unpack(">HH", head[pos + 5:pos + 9])
            return width, height
        if marker == 0xDA or length < 2:
            return None
        pos += 2 + length
    return None


MAX_IMAGE_BYTES = 100 * 1024 * 1024  # a photo is a few MB; a scan at 600 dpi in A3 some tens


def too_large(head: bytes, file_size: int = 0) -> str | None:
    """Why an image is too large to put on a page (bytes or pixels), said in Danish, or None."""
    if file_size > MAX_IMAGE_BYTES:
        return (f"billedfilen fylder {file_size // (1024 * 1024)} MB; grænsen er {MAX_IMAGE_BYTES // (1024 * 1024)} "
                "MB; gem billedet i en mindre opløsning")
    size = dimensions(head)
    if size is None or size[0] * size[1] <= MAX_PIXELS:
        return None
    return (f"billedet er {size[0]:,} × {size[1]:,} punkter; grænsen er {MAX_PIXELS // 1_000_000} megapixel; "
            "gem det i en mindre opløsning").replace(",", ".")


def strip_metadata(data: bytes) -> bytes | None:
    """The image without its metadata, or None when it is neither a JPEG nor a PNG the filter can follow."""
    if data.startswith(b"\xff\xd8"):
        return strip_jpeg(data)
    if data.startswith(PNG_SIGNATURE):
        return strip_png(data)
    return None


def strip_png(data: bytes) -> bytes | None:
    out = [PNG_SIGNATURE]
    pos = len(PNG_SIGNATURE)
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        end = pos + 12 + length
        if end > len(data):
            return None
        if kind in PNG_KEEP:
            out.append(data[pos:end])
        elif kind == b"eXIf":  # only the orientation survives, as for a JPEG
            orientation = _orientation(data[pos + 8:end - 4])
            if orientation not in (None, 1):
                out.append(_png_chunk(b"eXIf", _orientation_tiff(orientation)))
        if kind == b"IEND":
            return b"".join(out)
        pos = end
    return None


def strip_jpeg(data: bytes) -> bytes | None:
    out = [b"\xff\xd8"]
    orientation = 1
    pos = 2
    in_scan = False
    n = len(data)
    while pos < n:
        if in_scan:  # entropy-coded data: runs until a marker that is not a stuffed 00 or a restart
            start = pos
            while True:
                pos = data.find(b"\xff", pos)
                if pos < 0 or pos + 1 >= n:
                    return None
                nxt = data[pos + 1]
                if nxt == 0x00 or 0xD0 <= nxt <= 0xD7:
                    pos += 2
                    continue
                if nxt == 0xFF:  # fill byte before a marker
                    pos += 1
                    continue
                break
            out.append(data[start:pos])
            in_scan = False
            continue
        if data[pos] != 0xFF:
            return None
        while pos < n and data[pos] == 0xFF:
            pos += 1
        if pos >= n:
            return None
        marker = data[pos]
        pos += 1
        if marker == 0xD9:  # end of image: whatever follows is not part of the picture
            out.append(b"\xff\xd9")
            return _with_orientation(b"".join(out), orientation)
        if marker in _STANDALONE:
            out.append(bytes((0xFF, marker)))
            continue
        if pos + 2 > n:
            return None
        (length,) = struct.unpack(">H", data[pos:pos + 2])
        end = pos + length
        if length < 2 or end > n:
            return None
        body = data[pos + 2:end]
        if marker == 0xE1 and body.startswith(b"Exif\x00\x00"):
            orientation = _orientation(body[6:]) or orientation
        if _keep(marker, body):
            out.append(bytes((0xFF, marker)) + data[pos:end])
        pos = end
        if marker == 0xDA:
            in_scan = True
    return None


def _keep(marker: int, body: bytes) -> bool:
    if marker == 0xFE or marker == 0xE1 or marker == 0xEF or 0xE3 <= marker <= 0xED:
        return False
    if marker == 0xE0:
        return body.startswith(b"JFIF\x00")
    if marker == 0xE2:
        return body.startswith(b"ICC_PROFILE\x00")
    if marker == 0xEE:
        return body.startswith(b"Adobe")
    return True


def _orientation(tiff: bytes) -> int | None:
    """The Orientation tag (0x0112) of IFD0 in an EXIF TIFF block, or None."""
    if len(tiff) < 8 or tiff[:2] not in (b"II", b"MM"):
        return None
    order = "<" if tiff[:2] == b"II" else ">"
    try:
        (ifd,) = struct.unpack(order + "I", tiff[4:8])
        (count,) = struct.unpack(order + "H", tiff[ifd:ifd + 2])
        for i in range(min(count, 512)):
            entry = tiff[ifd + 2 + 12 * i:ifd + 14 + 12 * i]
            tag, kind, _ = struct.unpack(order + "HHI", entry[:8])
            if tag == 0x0112 and kind == 3:
                (value,) = struct.unpack(order + "H", entry[8:10])
                return value if 1 <= value <= 8 else None
    except struct.error:
        return None
    return None


def _orientation_tiff(orientation: int) -> bytes:
    """A TIFF block with one IFD holding one tag: Orientation."""
    return (b"MM\x00\x2a\x00\x00\x00\x08" + struct.pack(">HHHIHH", 1, 0x0112, 3, 1, orientation, 0)
            + b"\x00\x00\x00\x00")


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def _with_orientation(jpeg: bytes, orientation: int) -> bytes:
    """`jpeg` with a minimal EXIF segment (the orientation only) after its APP0, when not upright."""
    if orientation == 1:
        return jpeg
    body = b"Exif\x00\x00" + _orientation_tiff(orientation)
    segment = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    at = 2
    if jpeg[2:4] == b"\xff\xe0":  # after JFIF, where readers look for it
        (length,) = struct.unpack(">H", jpeg[4:6])
        at = 4 + length
    return jpeg[:at] + segment + jpeg[at:]
