"""The .docx of a Word template, checked before python-docx, lxml and docxtpl read it.

The file is checked and packed again (its size once unpacked, its compression ratio, no DTD
or entity declared); each part docxtpl rewrites with regular expressions is small and has its
tags closed, as docxtpl's patterns are quadratic otherwise; and the filled XML is parsed
before the pattern that resolves line breaks. What fills the template is sandbox.py.
"""

import copy
import functools
import re
import zipfile
from io import BytesIO

from django.utils.translation import gettext as _
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree

MB = 2**20
MAX_MEMBERS = 1000  # files in the .docx
MAX_MEMBER = 20 * MB  # one file unpacked
MAX_UNPACKED = 50 * MB  # all of them
MAX_RATIO = 100  # unpacked / packed, for a file over 1 MB
MAX_PART = 1 * MB  # the text of a part docxtpl fills (body, header, footer, footnotes)

DECLARATION = re.compile(
    b"|".join(
        re.escape(word.encode(encoding))
        for word in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    ),
    re.IGNORECASE,
)
TAG_MARK = re.compile(r"\{[{%#]|[}%#]\}|\n")
CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}


class Refused(Exception):
    """A template refused before it is read; the argument is the reason, in Chinese."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


def unpack(data):
    """The .docx in `data`, checked and packed again, before python-docx or lxml read it.

    The zip's directory is checked first (sizes, ratio, only the methods Word uses, no name
    twice). Then each file is inflated a block at a time and no further than the size its
    header gives: ZipExtFile.read() without a size inflates all the packed data before it
    cuts it to that size, and python-docx reads that way. Each file is searched for a DTD and
    written to a new archive whose headers are true, which is the one python-docx reads."""
    try:
        return _unpack(data)
    except Refused:
        raise
    except Exception as error:  # zipfile says a broken archive in many ways
        raise Refused(_("it is not a Word document (.docx) that can be read")) from error


def _unpack(data):
    archive = zipfile.ZipFile(BytesIO(data))
    members = archive.infolist()

    def too_big(limit):
        message = _("it unpacks to more than %(limit)s MB, which a Word template never needs")
        return Refused(message % {"limit": limit // MB})

    if len(members) > MAX_MEMBERS:
        raise too_big(MAX_UNPACKED)
    if len({member.filename for member in members}) < len(members) or any(
        member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for member in members
    ):
        raise zipfile.BadZipFile("a name twice, or a method Word does not use")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > MAX_MEMBER:
            raise too_big(MAX_MEMBER)
        if total > MAX_UNPACKED:
            raise too_big(MAX_UNPACKED)
        if member.file_size > MB and member.file_size > MAX_RATIO * member.compress_size:
            raise Refused(
                _(
                    "one of its files unpacks to more than %(ratio)s times its packed size, "
                    "as a zip bomb does"
                )
                % {"ratio": MAX_RATIO}
            )
    repacked = BytesIO()
    with zipfile.ZipFile(repacked, "w", zipfile.ZIP_STORED) as target:
        for member in members:
            with archive.open(member) as handle:
                content = b"".join(iter(functools.partial(handle.read, 64 * 1024), b""))
            if DECLARATION.search(content):
                raise Refused(
                    _("its XML declares a document type or entities, which Word never writes")
                )
            target.writestr(member.filename, content)
    return repacked.getvalue()


def check_part(xml):
    """Refuse a part too long, or with a tag left open, before docxtpl's patterns run on it.

    Each {{, {% and {# is closed by its own closer before the next tag opens and before the
    line ends, and no %} or #} stands alone: the patterns then read the part a bounded number
    of times."""
    if len(xml) > MAX_PART:
        raise Refused(
            _("its text is longer than %(limit)s MB, which a Word template never needs")
            % {"limit": MAX_PART // MB}
        )
    open_tag = None
    for mark in TAG_MARK.finditer(xml):
        token = mark.group()
        if token in CLOSER and open_tag is None:
            open_tag = token
        elif open_tag is not None and token == CLOSER[open_tag]:
            open_tag = None
        elif open_tag is not None or token in ("%}", "#}"):
            raise Refused(_("a tag is not closed before the next tag or the end of its line"))
    if open_tag is not None:
        raise Refused(_("a tag is not closed before the next tag or the end of its line"))


class GuardedDocxTemplate(DocxTemplate):
    """docxtpl with each part checked before its patterns run, and the filled XML parsed
    before the pattern that resolves line breaks (quadratic on broken XML)."""

    def patch_xml(self, src_xml):
        check_part(src_xml)
        return super().patch_xml(src_xml)

    def resolve_listing(self, xml):
        parser = etree.XMLParser(resolve_entities=False, no_network=True)
        try:
            etree.fromstring(xml.encode("utf-8"), parser)
        except etree.XMLSyntaxError as error:
            raise Refused(
                _("once filled, its XML is broken (a tag cuts across a paragraph or a table)")
            ) from error
        return super().resolve_listing(xml)

    def map_tree(self, tree):
        """The filled body put in place by parsing the document's XML once with it.

        docxtpl moves the body it parsed into the template's document (`replace`), and lxml
        moving a tree from one document into another takes time quadratic in its nodes (each
        `xml:space` attribute's namespace is looked up in a list that grows with every node
        moved): 3.6 s for the minutes of 5,000 projects, 52 s for 20,000. Parsed as part of
        the whole document, nothing is moved: linear."""
        root = self.docx._element
        shell = copy.deepcopy(root)
        marker = f"jiefang-body-{id(tree)}"
        for child in shell:
            if child.tag == qn("w:body"):
                child.clear()
                child.text = marker
        text = etree.tostring(shell, encoding="unicode")
        placeholder = f"<w:body>{marker}</w:body>"
        if text.count(placeholder) != 1:  # a document whose body cannot be found so
            return super().map_tree(tree)
        body = etree.tostring(tree, encoding="unicode")
        document = parse_xml(text.replace(placeholder, body))
        part = self.docx.part
        part._element = document
        self.docx._element = document
        self.docx._Document__body = None  # python-docx's proxy of the old body


def opened(data):
    """The template in `data`, unpacked, checked and opened by python-docx."""
    template = GuardedDocxTemplate(BytesIO(unpack(data)))
    try:
        template.init_docx()
    except Exception as error:  # python-docx says why in many ways; all mean the same here
        raise Refused(_("it is not a Word document (.docx) that can be read")) from error
    return template
