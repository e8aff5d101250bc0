"""The .xlsx file itself, before any of its XML is parsed by openpyxl: a zip of limited size
(measured while unpacking, not as its directory claims), no macros, no XML entities; which
sheet holds the data (the first visible one) and where its XML is."""

import posixpath
import re
import zipfile
import zlib
from io import BytesIO
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from .problems import ImportRefused, Problem

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_UPLOAD = 5 * 1024 * 1024
CHUNK = 64 * 1024
ENTITY = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def refuse(message):
    raise ImportRefused([Problem(message)]) from None


def damaged():
    refuse(_("The file is damaged and cannot be opened as .xlsx."))


def check_container(data):
    """Refuse files that are not plain .xlsx workbooks before any XML is parsed; returns the
    open archive."""
    if len(data) > MAX_UPLOAD:
        refuse(_("The file is over 5 MB; split it and import the parts."))
    if not data.startswith(b"PK"):
        refuse(
            _("This is not an Excel workbook (.xlsx). Save it as .xlsx in Excel and import that.")
        )
    try:
        archive = zipfile.ZipFile(BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError):
        damaged()
    names = {member.filename for member in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        refuse(_("This is not an Excel workbook (.xlsx)."))
    if "xl/vbaProject.bin" in names:
        refuse(macros())
    unpacked = 0
    for member in members:
        unpacked += _scan(archive, member, MAX_UNCOMPRESSED - unpacked)
    if b"macroEnabled" in archive.read("[Content_Types].xml"):
        refuse(macros())
    return archive


def macros():
    return _("This workbook contains macros (.xlsm) and is refused for safety. Save it as .xlsx.")


def _scan(archive, member, allowance):
    """Unpack one part in chunks, counting what it really holds (its directory entry may lie)
    and stopping at the allowance; XML parts are searched for entity declarations. Returns
    the part's unpacked size."""
    size, tail = 0, b""
    xml = member.filename.endswith((".xml", ".rels"))
    try:
        with archive.open(member) as part:
            while chunk := part.read(CHUNK):
                size += len(chunk)
                if size > allowance:
                    refuse(_("Refused: the file unpacks to over 50 MB (perhaps a zip bomb)."))
                if size > max(member.compress_size, 1) * MAX_RATIO and size > CHUNK:
                    refuse(
                        _(
                            "Refused: a part of the file is compressed over 100 times (perhaps a zip bomb)."
                        )
                    )
                if xml and ENTITY.search(tail + chunk):
                    refuse(_("The file declares XML entities and is refused for safety."))
                tail = chunk[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, NotImplementedError, OSError):
        damaged()
    return size


def data_sheet(archive):
    """(name, path of its XML) of the first visible sheet: a hidden or very hidden sheet before
    it is not what the office sees, so not what is imported."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        damaged()
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels.iter(PACKAGE_RELS)}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        if sheet.get("state", "visible") != "visible":
            continue
        target = targets.get(sheet.get(RELATIONSHIP), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        return sheet.get("name"), path
    refuse(_("The workbook has no visible sheet."))


def merged_ranges(archive, path):
    """Merged cell ranges of a sheet, read from its XML (read-only mode does not give them)."""
    return [
        ref.decode()
        for ref in re.findall(rb'<mergeCell ref="([A-Z]+\d+:[A-Z]+\d+)"', _xml(archive, path))
    ]


def has_formulas(archive, path):
    return re.search(rb"<f[ >/]", _xml(archive, path)) is not None


def _xml(archive, path):
    try:
        return archive.read(path)
    except KeyError:
        return b""
