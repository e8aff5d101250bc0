"""Between the preview and the confirmation of an import: the checked upload waits under its
uploader (no one else can confirm it) for at most a day, and the page's progress is kept in
the cache that every app server shares (see CACHES)."""

import datetime
import json
import re
import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from .reading import silent

TOKEN = re.compile(r"[0-9a-f]{32}")  # an uploaded file's, or the page's for its progress
KEEP_UPLOADS = datetime.timedelta(hours=24)
PREVIEW_ROWS = 500  # of the updates, and of the new rows, listed in the preview


def _path(user, token):
    return f"imports/{user.pk}/{token}.xlsx"


def keep_upload(user, data, seen):
    """Keep a checked workbook until it is confirmed, with what the preview saw of the rows it
    matched (`seen`, see writing.fingerprint); returns its token."""
    clear_expired()
    token = uuid.uuid4().hex
    default_storage.save(_path(user, token), ContentFile(data))
    default_storage.save(_seen_path(user, token), ContentFile(json.dumps(seen).encode()))
    return token


def _seen_path(user, token):
    return f"imports/{user.pk}/{token}.json"


def take_upload(user, token):
    """(bytes, what the preview saw) of `user`'s upload `token`, removed from the waiting
    room; None when it is unknown, someone else's, or older than KEEP_UPLOADS."""
    if not TOKEN.fullmatch(token or ""):
        return None
    path, seen_path = _path(user, token), _seen_path(user, token)
    if not default_storage.exists(path) or not default_storage.exists(seen_path):
        return None
    expired = default_storage.get_modified_time(path) < timezone.now() - KEEP_UPLOADS
    taken = None
    if not expired:
        with default_storage.open(path, "rb") as handle, default_storage.open(seen_path) as seen:
            taken = handle.read(), json.loads(seen.read())
    default_storage.delete(path)
    default_storage.delete(seen_path)
    return taken


def clear_expired():
    """Delete the uploads that were checked but never confirmed within KEEP_UPLOADS."""
    if not default_storage.exists("imports"):
        return
    oldest = timezone.now() - KEEP_UPLOADS
    for folder in default_storage.listdir("imports")[0]:
        for name in default_storage.listdir(f"imports/{folder}")[1]:
            path = f"imports/{folder}/{name}"
            if default_storage.get_modified_time(path) < oldest:
                default_storage.delete(path)


def progress_key(user, token):
    """Where the progress of the upload the page tagged `token` is kept, keyed by the user
    so that no one else can read it; None for a malformed token."""
    if not TOKEN.fullmatch(token or ""):
        return None
    return f"import-progress:{user.pk}:{token}"


def progress_reporter(user, token):
    """A progress callback that writes to the cache for the page to poll."""
    key = progress_key(user, token)
    if key is None:
        return silent

    def report(text, fraction=None):
        percent = None if fraction is None else round(fraction * 100)
        cache.set(key, {"text": text, "percent": percent}, timeout=600)

    return report


def progress_of(user, token):
    key = progress_key(user, token)
    state = cache.get(key) if key else None
    return state or {"text": "", "percent": None}


def hidden_rows(result):
    """How many updates and new rows the preview does not list."""
    return sum(max(len(rows) - PREVIEW_ROWS, 0) for rows in (result.update, result.create))
