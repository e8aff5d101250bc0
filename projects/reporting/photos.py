"""Site photos (现场照片): checked, re-encoded and stored, or refused with a Chinese message.

Pillow opens every upload and writes a new JPEG (longest side at most 2,560 px) and a
thumbnail; the shot time is kept from EXIF and every other piece of metadata (EXIF, GPS, the
JPEG comment, text chunks) is left behind. Non-images, decompression bombs, animations and
files Pillow cannot decode are refused. Files go through Django's storage API (see
docs/deployment.md).

Decoding is the cost of a photo, so it is bounded before it starts (docs/performance.md,
"Site photos"): a JPEG is decoded at a reduced scale (draft) close to the size kept, a PNG,
WebP or GIF, which cannot be, has a smaller pixel limit, a file whose header claims far more
pixels than its bytes can hold is refused, and one submission may decode so many pixels in
all.
"""

import datetime
import logging
import threading
import uuid
import warnings
from dataclasses import dataclass
from functools import partial
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from projects.models import ReportPhoto

logger = logging.getLogger(__name__)

MAX_BYTES = 15 * 1024 * 1024
# A JPEG up to 50 megapixels (a 48-megapixel phone shot), decoded at a reduced scale
# (8000 × 6000 at 1/2).
MAX_PIXELS = 50_000_000
# PNG, WebP and GIF are decoded whole: a 12-megapixel picture at most.
MAX_FULL_DECODE_PIXELS = 12_000_000
# A photo's bytes hold a few pixels each; a flat colour saved as JPEG holds 170 per byte, as
# PNG 320, as WebP 560. A file claiming more is a header with nothing behind it.
MAX_PIXELS_PER_BYTE = 1_000
# A phone's panorama is about 1:6.
MAX_ASPECT = 20
# The pixels decoded for all the photos of one submission: nine 16-megapixel phone photos.
REQUEST_PIXELS = 150_000_000
MAX_SIDE = 2560
THUMBNAIL_SIDE = 480
# MPO is the JPEG that some phones write with a second, smaller picture inside: not animated.
FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
DRAFT_FORMATS = {"JPEG", "MPO"}
SIXTEEN_BIT_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I"}
EXIF_IFD, DATETIME_ORIGINAL, DATETIME = 0x8769, 0x9003, 0x0132
_PILLOW_SETTINGS = threading.Lock()


class PhotoRefused(Exception):
    """The upload is not a photo the tracker keeps; the message says why, in Chinese."""


class PixelBudget:
    """The pixels one submission may still decode, over all its photos."""

    def __init__(self, pixels=REQUEST_PIXELS):
        self.total = self.left = pixels

    def spend(self, pixels):
        """Take `pixels` from the budget; False, taking nothing, when they do not fit."""
        if pixels > self.left:
            return False
        self.left -= pixels
        return True


@dataclass
class Photo:
    """A checked photo, re-encoded, ready to be stored."""

    name: str
    jpeg: bytes
    thumbnail: bytes
    width: int
    height: int
    taken_at: datetime.datetime | None


def _refuse(upload, message):
    raise PhotoRefused(_("%(name)s: %(reason)s") % {"name": upload.name, "reason": message})


def _taken_at(image):
    """The shot time from EXIF (DateTimeOriginal, else DateTime), in the district's time zone."""
    exif = image.getexif()
    text = exif.get_ifd(EXIF_IFD).get(DATETIME_ORIGINAL) or exif.get(DATETIME)
    try:
        taken = datetime.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    return timezone.make_aware(taken)


def _jpeg(image, quality):
    buffer = BytesIO()
    # Pillow writes im.info["comment"] (a JPEG's COM segment, a GIF's or PNG's comment) into
    # the new file unless told otherwise: no comment, no EXIF, no ICC profile.
    image.info = {}
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def check_photo(upload, budget=None):
    """Open, check and re-encode one upload (a Django UploadedFile); PhotoRefused otherwise.

    `budget`, a PixelBudget shared by the photos of one submission, pays for the decoding.
    """
    if upload.size > MAX_BYTES:
        _refuse(upload, _("the file is over 15 MB."))
    # Pillow's limits are globals, and WeasyPrint turns on LOAD_TRUNCATED_IMAGES when it is
    # imported: set both for the check, one check at a time, and put them back.
    with _PILLOW_SETTINGS, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        pixels, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, MAX_PIXELS
        truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            return _convert(upload, budget or PixelBudget())
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(upload, _("the picture has too many pixels to be a photo."))
        except UnidentifiedImageError:
            _refuse(upload, _("this is not a picture the tracker can read (JPEG, PNG or WebP)."))
        except (OSError, SyntaxError, ValueError, EOFError):
            _refuse(upload, _("the picture is damaged or incomplete; take or choose it again."))
        finally:
            Image.MAX_IMAGE_PIXELS = pixels
            ImageFile.LOAD_TRUNCATED_IMAGES = truncated


def _check_size(upload, image, budget):
    """Refuse, from the header alone, a picture whose decoding would cost too much; then
    set a JPEG to decode at the smallest scale that still gives the size kept."""
    width, height = image.size
    if max(width, height) > MAX_ASPECT * min(width, height):
        _refuse(upload, _("the picture is too long and narrow to be a photo."))
    if width * height > MAX_PIXELS_PER_BYTE * upload.size:
        _refuse(
            upload,
            _("the file is far too small for the size its picture claims; it is not a photo."),
        )
    if image.format in DRAFT_FORMATS:
        scale = min(MAX_SIDE / width, MAX_SIDE / height, 1)
        image.draft("RGB", (max(1, int(width * scale)), max(1, int(height * scale))))
    elif width * height > MAX_FULL_DECODE_PIXELS:
        _refuse(upload, _("the picture has too many pixels to be a photo."))
    # A progressive JPEG is entropy-decoded whole before it is scaled: it costs its size.
    progressive = image.info.get("progressive") or image.info.get("progression")
    if not budget.spend(width * height if progressive else image.width * image.height):
        _refuse(
            upload,
            _(
                "the photos of one save may hold %(max)s million pixels in all; choose fewer "
                "now and add the others by editing the report afterwards."
            )
            % {"max": budget.total // 1_000_000},
        )


def _rgb(picture):
    """The picture in RGB: transparency on white, 16-bit grey scaled to 8 bits."""
    if picture.mode in SIXTEEN_BIT_MODES:
        # Converting 16-bit grey straight to RGB clips every value over 255 to white.
        return picture.convert("I").point(lambda value: value / 257).convert("L").convert("RGB")
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        picture = picture.convert("RGBA")
        background = Image.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture.convert("RGB")


def _convert(upload, budget):
    upload.seek(0)
    with Image.open(upload) as image:
        if image.format not in FORMATS:
            _refuse(upload, _("this is not a picture the tracker can read (JPEG, PNG or WebP)."))
        if getattr(image, "is_animated", False) and image.format != "MPO":
            _refuse(upload, _("animated pictures are not accepted; send a photo."))
        _check_size(upload, image, budget)
        taken_at = _taken_at(image)
        # Shrunk in place before any copy is made, so that a large photo costs little memory.
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        picture = _rgb(ImageOps.exif_transpose(image))
        small = picture.copy()
        small.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
        return Photo(
            name=upload.name,
            jpeg=_jpeg(picture, 85),
            thumbnail=_jpeg(small, 80),
            width=picture.width,
            height=picture.height,
            taken_at=taken_at,
        )


def _write(name, data, written):
    """Save `data` under `name` and add the name stored to `written`.

    A write that fails part way (a full disk) leaves a partial file under the name asked
    for; it is removed. The names are new UUIDs, so no other file can have that name.
    """
    try:
        written.append(default_storage.save(name, ContentFile(data)))
    except BaseException:
        remove_files([name])
        raise


def store_photos(report, photos, user):
    """Write checked photos and their rows; returns the names of the files written.

    When a write fails, the files written before it and the partial file are removed. The
    caller removes the returned files when its transaction does not commit.
    """
    written = []
    try:
        for photo in photos:
            stem = f"photos/{report.project_id}/{report.year}-{report.month:02d}/{uuid.uuid4().hex}"
            _write(f"{stem}.jpg", photo.jpeg, written)
            _write(f"{stem}-thumb.jpg", photo.thumbnail, written)
            ReportPhoto.objects.create(
                report=report,
                image=written[-2],
                thumbnail=written[-1],
                width=photo.width,
                height=photo.height,
                taken_at=photo.taken_at,
                uploaded_by=user,
            )
    except BaseException:
        remove_files(written)
        raise
    return written


def delete_photos(photos):
    """Delete photo rows now and their files once the transaction commits (a rolled-back
    save keeps both)."""
    names = [name for photo in photos for name in (photo.image.name, photo.thumbnail.name)]
    ReportPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    transaction.on_commit(partial(remove_files, names))


def remove_files(names):
    """Remove stored files; a file that cannot be removed is logged and left."""
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.exception("Could not remove the photo file %s", name)
