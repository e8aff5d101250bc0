"""A storage whose disk fills up, for the tests of a failed write.

A real full disk cannot be made here (a tmpfs of a set size needs root), so this storage
fails as one does: Django's FileSystemStorage creates the file and writes into it until
the room is used up, then the write raises ENOSPC and the part written stays on disk.
"""

import errno
import os

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage


class FullDiskStorage(FileSystemStorage):
    """FileSystemStorage with `room` bytes left on its disk."""

    def __init__(self, room=0, **kwargs):
        super().__init__(**kwargs)
        self.room = room

    def _save(self, name, content):
        return super()._save(name, _Filling(content, self))


class _Filling(File):
    """The content of a save, handed over until the disk has no room left."""

    def __init__(self, content, storage):
        super().__init__(content.file, content.name)
        self.content, self.storage = content, storage

    def chunks(self, chunk_size=None):
        for chunk in self.content.chunks(chunk_size):
            if len(chunk) > self.storage.room:
                yield chunk[: self.storage.room]
                self.storage.room = 0
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            self.storage.room -= len(chunk)
            yield chunk
