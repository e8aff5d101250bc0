"""Real pictures made with Pillow for the photo tests: phone-like JPEGs with EXIF (a shot
time and a GPS position) and hostile files."""

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageDraw

SHOT_TIME = "2013:06:18 09:30:00"


def jpeg(width=4032, height=3024, color=(180, 120, 60), shot=SHOT_TIME, orientation=None):
    """A JPEG as a phone writes it: EXIF with DateTimeOriginal, GPS and the camera model."""
    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle([width // 4, height // 4, width // 2, height // 2], "white")
    exif = Image.Exif()
    exif[0x0110] = "TestPhone 12"  # Model
    if orientation:
        exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = shot  # DateTimeOriginal
    exif.get_ifd(0x8825).update({1: "N", 2: (35.0, 14.0, 0.0), 3: "E", 4: (113.0, 14.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif)
    return buffer.getvalue()


def upload(data, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def png_declaring(width, height):
    """A tiny PNG whose header claims width × height pixels (a decompression bomb)."""

    def chunk(kind, body):
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def animated_gif():
    frames = [Image.new("RGB", (64, 64), color) for color in ("red", "green", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


SVG_WITH_SCRIPT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
    b"<script>alert(document.cookie)</script><rect width='100' height='100'/></svg>"
)


def stored_photo(report):
    """A photo on `report`, checked and stored as the form stores one."""
    from projects.reporting.photos import check_photo, store_photos

    store_photos(report, [check_photo(upload(jpeg(800, 600)))], None)
    return report.photos.latest("pk")
