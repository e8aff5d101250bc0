"""A restore trusts nothing in the backup file: a crafted one (links out of the media folder,
devices, names outside its folders, a compressed bomb) is refused in Chinese before anything
is written where it matters, and the register and its files are as they were."""

import gzip
import io
import shutil
import tarfile
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tests.conftest import setup_demo
from tests.operations.test_backup import snapshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def database_member(tmp_path):
    """The database file of a real backup of the demo register: (name, bytes)."""
    path = tmp_path / "real.backup"
    call_command("backup", output=str(path), stdout=open("/dev/null", "w"))
    with tarfile.open(path) as archive:
        name = next(n for n in archive.getnames() if n.startswith("database."))
        return name, archive.extractfile(name).read()


def crafted(tmp_path, add, mode="w"):
    """A backup holding the real database and a photo, and what `add(archive)` puts in."""
    name, data = database_member(tmp_path)
    path = tmp_path / "crafted.backup"
    with tarfile.open(path, mode) as archive:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
        photo = tarfile.TarInfo("media/photos/2013/05/site.jpg")
        photo.size = 4
        archive.addfile(photo, io.BytesIO(b"jpeg"))
        add(archive)
    return path


def member(name, kind=tarfile.REGTYPE, link="", data=b""):
    def add(archive):
        info = tarfile.TarInfo(name)
        info.type, info.linkname, info.size = kind, link, len(data)
        archive.addfile(info, io.BytesIO(data) if data else None)

    return add


def twice(name):
    def add(archive):
        member(name, data=b"one")(archive)
        member(name, data=b"two")(archive)

    return add


HOSTILE = {
    # The attack: a relative link that tarfile's data filter lets through, pointing outside
    # the media folder once moved into place.
    "relative-symlink": (member("media/photos/leak.jpg", tarfile.SYMTYPE, "../../secret.txt"),),
    "symlink-to-a-folder": (member("media/photos/up", tarfile.SYMTYPE, ".."),),
    "hard-link": (member("media/photos/db.jpg", tarfile.LNKTYPE, "database.sqlite3"),),
    "device": (member("media/photos/tty.jpg", tarfile.CHRTYPE),),
    "pipe": (member("media/photos/fifo.jpg", tarfile.FIFOTYPE),),
    "dot-dot": (member("media/photos/../../outside.txt", data=b"x"),),
    "absolute": (member("/tmp/jiefang-outside.txt", data=b"x"),),
    "unknown-place": (member("jiefang/settings.py", data=b"DEBUG = True"),),
    "name-twice": (twice("media/photos/2013/05/other.jpg"),),
}


@pytest.fixture(autouse=True)
def own_temporary_folder(tmp_path, monkeypatch):
    """The restore's temporary folders go to the test's own, so that parallel tests' do not
    count as left behind."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))


def leftovers():
    """Unpacking folders left behind, beside the media folders or in the temporary folder."""
    media = Path(settings.MEDIA_ROOT)
    return [*media.glob(".restore-*"), *Path(tempfile.gettempdir()).glob("jiefang-restore-*")]


def live_photo():
    photos = Path(settings.MEDIA_ROOT) / "photos"
    photos.mkdir(parents=True, exist_ok=True)
    kept = photos / "kept-by-the-refusal.jpg"
    kept.write_bytes(b"live")
    return kept


@pytest.mark.parametrize("add", [entry[0] for entry in HOSTILE.values()], ids=list(HOSTILE))
def test_a_link_device_or_stray_name_is_refused_and_nothing_changes(tmp_path, add):
    setup_demo(year=2013)
    (Path(settings.MEDIA_ROOT).parent / "secret.txt").write_text("the live settings")
    source = crafted(tmp_path, add)
    kept = live_photo()
    before = snapshot()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(source), yes=True)
    message = str(refused.value)
    assert "没有改动任何数据" in message and "Traceback" not in message
    assert snapshot() == before
    assert kept.read_bytes() == b"live"
    media = Path(settings.MEDIA_ROOT)
    assert not [path for path in media.rglob("*") if path.is_symlink()]
    assert not (media / "photos" / "2013").exists()
    assert not leftovers()


def test_a_compressed_bomb_is_refused_before_it_is_unpacked(tmp_path, settings):
    """64 MB of zeros in a 64 kB .tar.gz, over a 16 MB budget: refused from the headers
    alone, nothing written."""
    setup_demo(year=2013)
    zeros = 64 * 1024 * 1024

    def bomb(archive):
        info = tarfile.TarInfo("media/photos/2013/05/big.jpg")
        info.size = zeros

        class Zeros:
            def read(self, size):
                return bytes(size)

        archive.addfile(info, Zeros())

    source = crafted(tmp_path, bomb, mode="w:gz")
    assert source.stat().st_size < zeros // 100
    settings.JIEFANG_RESTORE_MAX_BYTES = 16 * 1024 * 1024
    kept = live_photo()
    before = snapshot()
    with pytest.raises(CommandError, match="解压后超过 16.0.MB"):
        call_command("restore", str(source), yes=True)
    assert snapshot() == before and kept.read_bytes() == b"live"
    assert not leftovers()


def test_a_truncated_compressed_backup_is_refused_in_chinese(tmp_path):
    setup_demo(year=2013)
    whole = crafted(tmp_path, lambda archive: None, mode="w:gz")
    cut = tmp_path / "cut.backup"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    before = snapshot()
    with pytest.raises(CommandError, match="没有改动任何数据"):
        call_command("restore", str(cut), yes=True)
    assert snapshot() == before
    assert not leftovers()


def test_a_compressed_backup_restores_its_database_and_photos(tmp_path):
    """A backup gzipped for the trip to another machine restores as it is."""
    setup_demo(year=2013)
    plain = crafted(tmp_path, lambda archive: None)
    packed = tmp_path / "jiefang.backup.tar.gz"
    with plain.open("rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    call_command("restore", str(packed), yes=True, stdout=open("/dev/null", "w"))
    photo = Path(settings.MEDIA_ROOT) / "photos" / "2013" / "05" / "site.jpg"
    assert photo.read_bytes() == b"jpeg"
    assert not leftovers()
