"""An office's Word template is filled in a sandbox: a template that reaches Python objects,
runs a command, loops or grows without end, or unpacks to gigabytes is refused at upload with
a Chinese reason and nothing is saved; placed in the database past the admin's check, it is
never filled for anyone, and the download answers with the default and the reason."""

import io
import struct
import time
import tracemalloc
import zipfile
import zlib

import docx
import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from projects.meetings import docx_file, sandbox, trial
from projects.meetings.docx_layout import bulletin_template, minutes_template
from projects.models import DocumentTemplate, Meeting, Region
from tests.conftest import make_projects, user_in

pytestmark = pytest.mark.django_db

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEN = "{% set x = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] %}"
GROW = "{% set s = s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s ~ s %}"
LIPSUM = "{{ lipsum.__globals__.os.popen('id').read() }}"
SUBCLASSES = "{{ ''.__class__.__mro__[1].__subclasses__() }}"
MILLION_TURNS = (
    TEN + "{% for a in x %}{% for b in x %}{% for c in x %}{% for d in x %}{% for e in x %}"
    "{% for f in x %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}"
)

PAYLOADS = [
    # The two.
    LIPSUM,
    "{{ cycler.__init__.__globals__.__builtins__.__import__('django.conf')"
    ".conf.settings.SECRET_KEY }}",
    # Jinja2's other globals and the template reference.
    "{{ joiner.__init__.__globals__.os.popen('id').read() }}",
    "{{ namespace.__init__.__globals__.os.popen('id').read() }}",
    "{{ self.__init__.__globals__.__builtins__.__import__('os').popen('id').read() }}",
    "{{ self._TemplateReference__context }}",
    # From any value to object's subclasses, by attribute, filter, item or format string.
    SUBCLASSES,
    "{{ meeting.title.__class__.__base__.__subclasses__() }}",
    "{{ meeting|attr('\\x5f\\x5fclass\\x5f\\x5f') }}",
    "{{ sections|map(attribute='__class__')|list }}",
    "{{ meeting[['_', '_class_', '_']|join] }}",
    "{{ '{0.__class__.__init__.__globals__}'.format(meeting) }}",
    "{{ '{0}'.format(meeting) }}",
    "{{ decisions|tojson }}{{ meeting|pprint }}",
    # In a branch the sample does not take: refused all the same.
    "{% if meeting.title == '从不' %}{{ cycler.__init__.__globals__ }}{% endif %}",
    # Raw XML into the document, and escaping turned off.
    "{{ meeting.title|safe }}",
    "{% autoescape false %}{{ meeting.title }}{% endautoescape %}",
    "{% include 'settings.py' %}",
    # Cost: ranges, repetition, powers, padding, loops, recursion, growth.
    "{% for i in range(999999999) %}{% endfor %}",
    "{{ 'x' * 999999999 }}",
    "{{ 9 ** (9 ** 9) }}",
    "{{ '%0999999999d' % 1 }}",
    "{{ 'x'|center(999999999) }}",
    "{{ meeting.title|replace('', meeting.title * 100000) }}",
    MILLION_TURNS,
    "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('x') }}",
    "{% for x in [1] recursive %}{{ loop([1]) }}{% endfor %}",
    "{{ ([[meeting.title]] * 99999)|sum(start=[])|length }}",
    "{{ ([meeting.title] * 99999 + [meeting.title] * 99999)|length }}",
    "{% set s = 'xxxxxxxxxx' %}" + GROW * 7 + "{{ s }}",
    "{% set x %}" + TEN + "{% for a in x %}{% for b in x %}{% for c in x %}"
    "{{ meeting.title * 1000 }}{% endfor %}{% endfor %}{% endfor %}{% endset %}",
]


def with_paragraph(paragraph, layout=minutes_template):
    """The default minutes template (or another) with one more paragraph, as .docx bytes."""
    template = layout()
    template.add_paragraph(paragraph)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def with_member(name, content):
    """The default minutes template with one of its files replaced, as .docx bytes."""
    source = zipfile.ZipFile(io.BytesIO(with_paragraph("")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, content if item.filename == name else source.read(item))
    return buffer.getvalue()


def body(xml, prolog=""):
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<w:document xmlns:w="{W}"><w:body>{xml}</w:body></w:document>'
    ).encode()


BILLION_LAUGHS = (
    "<!DOCTYPE w:document [<!ENTITY a0 'ha'>"
    + "".join(f"<!ENTITY a{i} '{f'&a{i - 1};' * 10}'>" for i in range(1, 10))
    + "]>"
)


@pytest.fixture
def meeting(zone, official):
    make_projects(zone, 3, official=official)
    return Meeting.objects.create(
        number=5, year=2013, month=5, date="2013-05-28", venue="区政府三楼会议室"
    )


@pytest.fixture
def office(client, meeting):
    client.force_login(user_in("project_office", "office", is_staff=True))
    return client


@pytest.fixture
def observer(meeting):
    client = Client()
    client.force_login(user_in("observer", "observer"))
    return client


def upload(client, data, kind="minutes"):
    return client.post(
        reverse("admin:projects_documenttemplate_add"),
        {"kind": kind, "file": SimpleUploadedFile("纪要.docx", data)},
    )


def refusal(response):
    """The reason the admin gave for refusing the file, checked to be in Chinese."""
    assert response.status_code == 200, response.status_code
    errors = response.context["adminform"].form.errors["file"]
    assert any("\u4e00" <= character <= "\u9fff" for character in errors[0]), errors
    return errors[0]


def everything_in(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


def assert_default_without_secrets(response):
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "例会纪要" in text and "区政府三楼会议室" in text  # the default, filled
    everything = everything_in(response.content)
    assert settings.SECRET_KEY not in everything and "uid=" not in everything
    password = settings.DATABASES["default"].get("PASSWORD")
    assert not password or password not in everything
    assert "__class__" not in everything and "<class " not in everything


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_template_reaching_outside_its_variables_is_refused_on_upload(office, payload):
    started = time.monotonic()
    reason = refusal(upload(office, with_paragraph(payload)))
    assert not DocumentTemplate.objects.exists()
    assert time.monotonic() - started < 5, reason


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_template_placed_past_the_check_is_not_filled_and_the_default_is_sent(
    observer, meeting, payload
):
    DocumentTemplate.objects.create(
        kind="minutes", file=SimpleUploadedFile("坏模板.docx", with_paragraph(payload))
    )
    started = time.monotonic()
    response = observer.get(reverse("projects:meeting_minutes_docx", args=[meeting.pk]))
    assert time.monotonic() - started < 5
    assert_default_without_secrets(response)
    page = observer.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    assert "未使用" in page


def test_the_reasons_say_what_was_refused(office):
    assert "lipsum" in refusal(upload(office, with_paragraph(LIPSUM)))
    assert "“__" in refusal(upload(office, with_paragraph(SUBCLASSES)))  # an underscored name
    limits = refusal(upload(office, with_paragraph(MILLION_TURNS)))
    assert "超出" in limits and f"{sandbox.MAX_STEPS}" in limits


def test_a_template_is_checked_even_before_there_is_a_meeting_to_try_it_on(office):
    Meeting.objects.all().delete()
    assert "lipsum" in refusal(upload(office, with_paragraph(LIPSUM)))
    assert "未闭合" in refusal(upload(office, with_paragraph("{{ meeting.title")))
    assert upload(office, with_paragraph("{{ meeting.secretary }}")).status_code == 302


def test_a_file_larger_than_a_template_can_unpack_to_is_refused_unread(office):
    data = with_paragraph("") + b"\0" * (docx_file.MAX_UNPACKED + 1)
    assert f"{docx_file.MAX_UNPACKED // docx_file.MB} MB" in refusal(upload(office, data))


def test_calling_a_macro_that_does_not_exist_names_it(office):
    assert "mark" in refusal(upload(office, with_paragraph("{{ mark(meeting.title) }}")))


def test_a_template_that_stays_in_its_variables_is_filled_as_before(office, observer, meeting):
    """Filters, loops, macros, conditions and the loop variable are all still there."""
    template = (
        "{% macro mark(text) %}【{{ text|trim|upper }}】{% endmacro %}"
        "{% for s in sections %}{{ mark(s.heading) }}{{ loop.index }}/{{ loop.length }}"
        "{% for p in s.projects|sort(attribute='name') %}{{ p.name }}{{ loop.cycle('、', ';') }}"
        "{% endfor %}{% endfor %}{{ figures.items()|list|length }}项"
        "{{ meeting.venue|replace('三楼', '3楼') }}{{ problems|map(attribute='project')|join }}"
    )
    assert upload(office, with_paragraph(template)).status_code == 302
    response = observer.get(reverse("projects:meeting_minutes_docx", args=[meeting.pk]))
    last = docx.Document(io.BytesIO(response.content)).paragraphs[-1].text
    assert last == "【测试领导 副区长】1/1项目0、项目1;项目2、10项区政府3楼会议室"


def test_a_docx_that_unpacks_to_a_hundred_megabytes_is_refused_before_it_is_read(office):
    """A 128 MB document.xml packs into a few hundred KB; it is refused from the zip's
    directory, quickly and without unpacking it."""
    source = zipfile.ZipFile(io.BytesIO(with_paragraph("")))
    end = b"</w:body></w:document>"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                archive.writestr(item, source.read(item))
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(body("").replace(end, b""))
            for _megabyte in range(128):
                member.write(b" " * 2**20)
            member.write(end)
    data = buffer.getvalue()
    assert len(data) < 2 * 2**20
    assert f"{docx_file.MAX_MEMBER // docx_file.MB} MB" in refusal(upload(office, data))
    assert not DocumentTemplate.objects.exists()
    started = time.monotonic()
    assert trial.try_template(
        "minutes", data, Region.objects.single_district()
    )  # what the admin asks
    assert time.monotonic() - started < 2
    tracemalloc.start()
    trial.try_template("minutes", data, Region.objects.single_district())
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 20 * 2**20, peak


def test_a_small_file_packed_a_hundred_times_over_is_refused(office):
    inflated = body("<w:p/>" + " " * 10 * 2**20)
    reason = refusal(upload(office, with_member("word/document.xml", inflated)))
    assert f"{docx_file.MAX_RATIO} 倍" in reason and not DocumentTemplate.objects.exists()


MALFORMED = [
    (b"not a word document", "不是可以读取"),
    (with_member("word/document.xml", body("<w:p><w:r><w:t>未闭合")), "不是可以读取"),
    (with_member("word/document.xml", body("<w:p/>", BILLION_LAUGHS)), "实体"),
    (
        with_member(
            "word/document.xml", body("<w:p/>", '<!DOCTYPE d [<!ENTITY e SYSTEM "/etc/passwd">]>')
        ),
        "实体",
    ),
    (with_paragraph("{{ 1/0 }}"), "除以零"),
    (with_paragraph("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"), "超出"),
    (with_paragraph("{{ meeting.title + 1 }}"), "无法计算"),
    (with_paragraph("{{ meeting.title"), "未闭合"),
    (with_paragraph("{% if %}"), "标签有误"),
]


@pytest.mark.parametrize("data, words", MALFORMED)
def test_a_malformed_template_is_refused_on_upload_with_its_reason(office, data, words):
    assert words in refusal(upload(office, data))
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize("data, words", MALFORMED)
def test_a_malformed_template_in_the_database_falls_back_to_the_default(
    observer, meeting, data, words
):
    DocumentTemplate.objects.create(kind="minutes", file=SimpleUploadedFile("坏.docx", data))
    response = observer.get(reverse("projects:meeting_minutes_docx", args=[meeting.pk]))
    assert_default_without_secrets(response)
    page = observer.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    assert "未使用" in page and words in page


def test_a_bulletin_template_that_divides_by_a_count_falls_back_for_a_month_without_any(
    client, demo_users
):
    """It passes the check on May 2013, which has red projects; January has none, and its
    bulletin is the default with the reason, not an error page."""
    client.force_login(User.objects.get(username="observer"))
    office = Client()
    office.force_login(User.objects.get(username="office"))
    data = with_paragraph("红色项目占比：{{ 100 / (red_projects|length) }}", bulletin_template)
    assert upload(office, data, kind="bulletin").status_code == 302

    def bulletin(month):
        response = client.get(reverse("projects:bulletin_docx"), {"year": 2013, "month": month})
        assert response.status_code == 200
        document = docx.Document(io.BytesIO(response.content))
        return "\n".join(p.text for p in document.paragraphs)

    assert "红色项目占比：50.0" in bulletin(5)
    january = bulletin(1)
    assert "2013年1月" in january and "红色项目占比" not in january
    meeting = Meeting.objects.get(year=2013, number=5)
    page = client.get(reverse("projects:meeting_detail", args=[meeting.pk])).content.decode()
    assert "未使用" in page and "除以零" in page


def test_tags_left_open_are_refused_before_docxtpl_reads_them(office):
    """docxtpl's patterns read the rest of the text for each tag left open: 16,000 of them
    took 21 s. They are refused at the first, at once."""
    open_tags = "".join(f"<w:p><w:r><w:t>{{{{ a{i}</w:t></w:r></w:p>" for i in range(16000))
    started = time.monotonic()
    reason = refusal(upload(office, with_member("word/document.xml", body(open_tags))))
    assert "未闭合" in reason and time.monotonic() - started < 3


def test_a_template_whose_filled_xml_is_broken_is_refused(office):
    """A condition opened in a paragraph and closed in a table cell drops the elements
    between them: the filled XML is parsed before docxtpl's patterns read it."""
    template = minutes_template()
    template.add_paragraph("{% if false %}")
    template.add_table(rows=1, cols=1).cell(0, 0).text = "{% endif %}"
    buffer = io.BytesIO()
    template.save(buffer)
    assert "填充后" in refusal(upload(office, buffer.getvalue()))
    assert not DocumentTemplate.objects.exists()


def test_a_zip_that_understates_a_files_size_is_read_no_further_than_it_says(office):
    """A 30 MB file whose headers say 1000 bytes, with the checksum of those 1000: reading it
    whole would inflate all 30 MB before cutting; it is read a block at a time up to the
    size said, and python-docx reads a copy packed again with true headers."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b" " * 30 * 2**20)
    data = bytearray(buffer.getvalue())
    checksum = zlib.crc32(b" " * 1000)
    for header, offset in ((b"PK\x03\x04", 14), (b"PK\x01\x02", 16)):
        start = data.find(header) + offset  # the checksum, the packed size, the size
        struct.pack_into("<I", data, start, checksum)
        struct.pack_into("<I", data, start + 8, 1000)
    tracemalloc.start()
    reason = refusal(upload(office, bytes(data)))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "不是可以读取" in reason and peak < 20 * 2**20, peak


def test_the_limits_in_all_grow_with_the_documents_data_not_with_what_a_template_makes(
    monkeypatch,
):
    """A large register's document is filled (each entry of its data allows a few KB more),
    while a template that makes more of a few entries than that is still stopped."""
    monkeypatch.setattr(sandbox, "MAX_TEXT", 100_000)
    row = {"name": "项目", "official": "领导", "reason": "滞后"}
    big = {
        "officials": [],
        "zones": [],
        "units": [],
        "red_projects": [row] * 300,  # about 300 × 1.5 KB of XML: past 100,000 characters
        "overdue_problems": [],
        "late_reporters": [],
    }
    template = bulletin_template()
    buffer = io.BytesIO()
    template.save(buffer)
    data = buffer.getvalue()
    base = {
        "district": "解放区",
        "reporting_unit": "办",
        "issuer": "办",
        "number": "",
        "copy_to": "",
        "period": "2013年6月",
        "as_of": "",
        "today": "",
        "ranking_note": "",
        "figures": dict.fromkeys(
            ("count", "annual_plan", "ytd_label", "ytd", "rate", "schedule"), ""
        )
        | dict.fromkeys(("green", "yellow", "red", "none"), 0),
    }
    filled = docx.Document(io.BytesIO(sandbox.fill(data, base | big, finalize=None)))
    assert sum(len(table.rows) for table in filled.tables) > 300
    # Two entries made into far more than they allow (4 × 90,000 characters) are stopped.
    bare = docx.Document()
    bare.add_paragraph(
        "{% for r in red_projects %}{% for s in red_projects %}{{ r.name * 45000 }}"
        "{% endfor %}{% endfor %}"
    )
    buffer = io.BytesIO()
    bare.save(buffer)
    with pytest.raises(sandbox.LimitExceeded):
        sandbox.fill(buffer.getvalue(), {"red_projects": [row, row]}, finalize=None)
