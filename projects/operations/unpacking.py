"""Unpacking a backup file without trusting it.

A backup is a tar file (compressed or not) holding one database file at its top and the media
folders under media/. Before a byte is written, every member's header is read and checked:
only regular files and folders, each at a place a backup puts one (no link, device, pipe,
absolute name or `..`; no name twice), and the sizes added up against a byte budget: the
smaller of JIEFANG_RESTORE_MAX_BYTES and the room left on the disks it unpacks to. Then each
file is written by this module (never by tarfile's extract, so no link, owner or mode from
the archive is ever applied), and what was written is checked again: every path, resolved,
stays under its folder and is a plain file or folder.
"""

import lzma
import os
import shutil
import stat
import tarfile
import zlib
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DATABASE_NAMES = ("database.pgdump", "database.sqlite3")
# Beyond this many members a backup is refused: tarfile keeps each member's header in memory.
MAX_MEMBERS = 1_000_000
# Each member costs at least its 512-byte header on disk and in the budget.
HEADER = 512
# Room left free on a disk after unpacking (a tenth of a small disk), for everything else.
DISK_RESERVE = 1024**3


class Refused(Exception):
    """The archive is not unpacked; the message says why, in the user's language."""


def _free(folder):
    usage = shutil.disk_usage(folder)
    return max(usage.free - min(DISK_RESERVE, usage.total // 10), 0)


def _place(member, media_folders):
    """Where a member goes: ("database", its name), ("media", its path under media/), or
    (None, None) for the media/ folder itself; anything else is refused."""
    name = PurePosixPath(member.name)
    parts = [part for part in name.parts if part not in ("", ".")]
    if name.is_absolute() or ".." in parts or not parts or "\0" in member.name:
        raise Refused(_("it holds a file outside its folders (%(name)s).") % {"name": member.name})
    if not (member.isdir() or member.type in (tarfile.REGTYPE, tarfile.AREGTYPE)):
        raise Refused(
            _("it holds a link or special file (%(name)s), which a backup never does.")
            % {"name": member.name}
        )
    if len(parts) == 1 and parts[0] in DATABASE_NAMES and member.isfile():
        return "database", PurePosixPath(parts[0])
    if parts == ["media"] and member.isdir():
        return None, None
    if len(parts) >= 2 and parts[0] == "media" and parts[1] in media_folders:
        if len(parts) > 2 or member.isdir():
            return "media", PurePosixPath(*parts[1:])
    raise Refused(
        _("it holds a file a backup of this tracker does not (%(name)s).") % {"name": member.name}
    )


def read_plan(archive, media_folders, database_folder, media_folder):
    """Check every member's header; return [(member, kind, relative path)], the database's
    entry first. Nothing is written."""
    budget = min(settings.JIEFANG_RESTORE_MAX_BYTES, _free(database_folder), _free(media_folder))
    plan, seen, total = [], set(), 0
    for count, member in enumerate(archive, start=1):
        if count > MAX_MEMBERS:
            raise Refused(_("it holds more than %(count)s files.") % {"count": f"{MAX_MEMBERS:,}"})
        total += HEADER + (member.size if member.isfile() else 0)
        if total > budget:
            raise Refused(
                _(
                    "it unpacks to more than %(budget)s (JIEFANG_RESTORE_MAX_BYTES, or the "
                    "room left on the disk); nothing was unpacked."
                )
                % {"budget": filesizeformat(budget)}
            )
        kind, path = _place(member, media_folders)
        if kind is None:
            continue
        if (kind, path) in seen:
            raise Refused(_("it holds %(name)s twice.") % {"name": member.name})
        seen.add((kind, path))
        plan.append((member, kind, path))
    databases = [entry for entry in plan if entry[1] == "database"]
    if len(databases) != 1:
        raise Refused(_("it holds no database, or more than one."))
    return databases + [entry for entry in plan if entry[1] != "database"]


def _write(archive, member, target):
    """Write a regular member's bytes, exactly its size, to a new file (never through a link)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
    descriptor = os.open(target, flags, 0o640)
    with os.fdopen(descriptor, "wb") as output, archive.extractfile(member) as data:
        left = member.size
        while left:
            chunk = data.read(min(left, 1024 * 1024))
            if not chunk:
                raise Refused(_("the file is cut short (%(name)s).") % {"name": member.name})
            output.write(chunk)
            left -= len(chunk)


def check_tree(folder):
    """Every path under `folder`, resolved, stays under it and is a plain file or folder."""
    root = Path(folder).resolve()
    for current, folders, files in os.walk(root):
        for name in folders + files:
            path = Path(current) / name
            mode = path.lstat().st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)) or not path.resolve().is_relative_to(
                root
            ):
                raise Refused(
                    _("it holds a file outside its folders (%(name)s).")
                    % {"name": path.relative_to(root)}
                )


def unpack(source, media_folders, database_folder, media_folder):
    """Unpack the backup `source`: its database into `database_folder` (returns its path),
    its media folders into `media_folder`. Raises Refused, having written nothing when a
    header is wrong or the budget too small."""
    try:
        with tarfile.open(source) as archive:
            plan = read_plan(archive, media_folders, database_folder, media_folder)
            database = None
            for member, kind, path in plan:
                root = Path(database_folder) if kind == "database" else Path(media_folder)
                target = root.joinpath(*path.parts)
                if not target.resolve().is_relative_to(root.resolve()):
                    raise Refused(
                        _("it holds a file outside its folders (%(name)s).") % {"name": member.name}
                    )
                if member.isdir():
                    target.mkdir(mode=0o750, parents=True, exist_ok=True)
                else:
                    _write(archive, member, target)
                if kind == "database":
                    database = target
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError, OSError) as error:
        raise Refused(_("the file cannot be unpacked (%(error)s).") % {"error": error}) from None
    check_tree(database_folder)
    check_tree(media_folder)
    return database
