"""Site photos (现场照片): checked, re-encoded and stored, or refused with a Chinese message.

Pillow opens every upload and writes a new JPEG (longest side at most 2,560 px) and a
thumbnail; the shot time is kept from EXIF and every other piece of metadata, GPS included,
is left behind. Non-images, decompression bombs, animations and files Pillow cannot decode
are refused. Files go through Django's storage API (see docs/deployment.md).
"""

import datetime
import threading
import uuid
import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

from projects.models import ReportPhoto

MAX_BYTES = 15 * 1024 * 1024
MAX_PIXELS = 50_000_000  # a 50-megapixel camera; more is refused before it is decoded
MAX_SIDE = 2560
THUMBNAIL_SIDE = 480
# MPO is the JPEG that some phones write with a second, smaller picture inside: not animated.
FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}
EXIF_IFD, DATETIME_ORIGINAL, DATETIME = 0x8769, 0x9003, 0x0132
_PILLOW_SETTINGS = threading.Lock()


class PhotoRefused(Exception):
    """The upload is not a photo the tracker keeps; the message says why, in Chinese."""


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
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return buffer.getvalue()


def check_photo(upload):
    """Open, check and re-encode one upload (a Django UploadedFile); PhotoRefused otherwise."""
    if upload.size > MAX_BYTES:
        _refuse(upload, _("the file is over 15 MB."))
    # Pillow's limits are globals, and WeasyPrint turns on LOAD_TRUNCATED_IMAGES when it is
    # imported: set both for the check, one check at a time, and put them back.
    with _PILLOW_SETTINGS, warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        pixels, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, MAX_PIXELS
        truncated, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
        try:
            return _convert(upload)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            _refuse(upload, _("the picture has too many pixels to be a photo."))
        except UnidentifiedImageError:
            _refuse(upload, _("this is not a picture the tracker can read (JPEG, PNG or WebP)."))
        except (OSError, SyntaxError, ValueError, EOFError):
            _refuse(upload, _("the picture is damaged or incomplete; take or choose it again."))
        finally:
            Image.MAX_IMAGE_PIXELS = pixels
            ImageFile.LOAD_TRUNCATED_IMAGES = truncated


def _convert(upload):
    upload.seek(0)
    with Image.open(upload) as image:
        if image.format not in FORMATS:
            _refuse(upload, _("this is not a picture the tracker can read (JPEG, PNG or WebP)."))
        if getattr(image, "is_animated", False) and image.format != "MPO":
            _refuse(upload, _("animated pictures are not accepted; send a photo."))
        taken_at = _taken_at(image)
        # A JPEG is decoded straight at a reduced scale and shrunk in place before any copy
        # is made, so that a large photo costs little memory.
        image.draft("RGB", (MAX_SIDE, MAX_SIDE))
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        picture = ImageOps.exif_transpose(image)
        if picture.mode in ("RGBA", "LA", "P"):
            picture = picture.convert("RGBA")
            background = Image.new("RGB", picture.size, "white")
            background.paste(picture, mask=picture.getchannel("A"))
            picture = background
        else:
            picture = picture.convert("RGB")
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


def store_photos(report, photos, user):
    """Write checked photos and their rows; files written before a failure are removed."""
    written = []
    try:
        for photo in photos:
            stem = f"photos/{report.project_id}/{report.year}-{report.month:02d}/{uuid.uuid4().hex}"
            image = default_storage.save(f"{stem}.jpg", ContentFile(photo.jpeg))
            written.append(image)
            thumbnail = default_storage.save(f"{stem}-thumb.jpg", ContentFile(photo.thumbnail))
            written.append(thumbnail)
            ReportPhoto.objects.create(
                report=report,
                image=image,
                thumbnail=thumbnail,
                width=photo.width,
                height=photo.height,
                taken_at=photo.taken_at,
                uploaded_by=user,
            )
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise


def delete_photos(photos):
    """Delete photo rows and then their files."""
    names = [name for photo in photos for name in (photo.image.name, photo.thumbnail.name)]
    ReportPhoto.objects.filter(pk__in=[photo.pk for photo in photos]).delete()
    for name in names:
        default_storage.delete(name)
