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


def phone_jpeg(width=8000, height=6000, quality=85, progressive=False):
    """A JPEG with a photo's texture (coarse shapes under fine noise), so that its size and
    decoding cost are those of a real shot: 8000 × 6000 makes about 11 MB."""
    shapes = Image.effect_noise((max(1, width // 16), max(1, height // 16)), 50)
    grain = Image.effect_noise((width, height), 30)
    grey = Image.blend(shapes.resize((width, height)), grain, 0.25)
    image = Image.merge("RGB", [grey.point(lambda v, k=k: v * (0.6 + 0.2 * k)) for k in range(3)])
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, progressive=progressive)
    return buffer.getvalue()


def png(width, height, mode="RGB"):
    """A PNG of a flat picture with one dark block: it compresses well, as a bomb does."""
    image = Image.new(mode, (width, height), "#c8c8c8")
    ImageDraw.Draw(image).rectangle([10, 10, width // 2, height // 2], "#142840")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_declaring(width, height):
    """A JPEG of a few hundred bytes whose header claims width × height pixels: Pillow
    decodes it as a grey picture of that size."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (128, 128, 128)).save(buffer, "JPEG", quality=50)
    data = bytearray(buffer.getvalue())
    frame = data.index(b"\xff\xc0")  # SOF0: length, precision, height, width
    data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def grey_16bit_png(width=640, height=480):
    """A 16-bit greyscale PNG (a scanner's or a thermal camera's): a gradient from black on
    the left to white on the right."""
    ramp = Image.linear_gradient("L").rotate(90).resize((width, height))
    image = ramp.convert("I").point(lambda v: v * 257).convert("I;16")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_with_comment(comment, width=800, height=600):
    """A JPEG with a COM segment, as some cameras and apps write one (GPS text, a name)."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 140, 60)).save(buffer, "JPEG", comment=comment)
    return buffer.getvalue()
