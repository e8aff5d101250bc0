"""The meeting's documents in Word: read back with python-docx against the engine's figures;
text typed with <, &, quotes and newlines comes out as typed; a broken uploaded template is
refused or replaced by the default with a Chinese message; the minutes print in LibreOffice."""

import io

import docx
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.meetings.docx_layout import minutes_template
from projects.models import DocumentTemplate, Meeting, Problem, Project
from projects.progress.period import Period
from projects.register.ranking import ranking
from projects.templatetags.jiefang import money, pct
from tests.libreoffice import printed_pages

pytestmark = pytest.mark.django_db

TYPED = '第一条：<加快> & "按期"\n第二条：下月再议'


@pytest.fixture
def office(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    return client


def meeting():
    return Meeting.objects.get(year=2013, number=5)


def read(content):
    return docx.Document(io.BytesIO(content))


def text_of(document):
    return "\n".join(p.text for p in document.paragraphs)


def rows(table):
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_minutes_carry_the_meeting_and_the_engines_figures(office):
    m = meeting()
    m.minutes, m.venue, m.chair = TYPED, "区政府三楼会议室", "常务副区长"
    m.save()
    problem = Problem.objects.filter(meeting=m).first()
    Problem.objects.filter(pk=problem.pk).update(description='用地<指标> & "审批"')
    response = office.get(reverse("projects:meeting_minutes_docx", args=[m.pk]))
    assert response.status_code == 200 and response["Content-Type"].endswith("document")
    document = read(response.content)
    text = text_of(document)
    assert "解放区“四区联建”重点项目推进例会纪要" in text
    assert "2013年5月28日" in text and "区政府三楼会议室" in text and "常务副区长" in text
    _rows, total = Project.objects.summary(Period(2013, 5))
    assert (
        f"完成投资{money(total['ytd'])}万元" in text
        and f"完成率{pct(total['completion_rate'])}%" in text
    )
    # The decisions as typed: escaped characters back, the line break kept.
    decisions = next(p for p in document.paragraphs if "第一条" in p.text)
    assert decisions.text == TYPED
    # Each lead official's table: every project, with the engine's figures.
    engine = {p.name: p for p in Project.objects.with_progress(Period(2013, 5))}
    project_tables = [
        t for t in document.tables if rows(t)[0][0] == "项目" and len(rows(t)[0]) == 7
    ]
    listed = [row for table in project_tables for row in rows(table)[1:]]
    assert sorted(row[0] for row in listed) == sorted(engine)
    for name, plan, ytd, rate, schedule, light, _progress in listed:
        project = engine[name]
        assert (plan, ytd, rate, schedule) == (
            money(project.annual_plan),
            money(project.ytd),
            pct(project.completion_rate),
            pct(project.time_schedule),
        )
        assert light == str(project.light.label)
    problems = [
        t for t in document.tables if rows(t)[0] == ["项目", "问题", "责任单位", "时限", "状态"]
    ]
    raised = [row[1] for row in rows(problems[0])[1:]]
    assert '用地<指标> & "审批"' in raised
    assert len(raised) == Problem.objects.filter(meeting=m).count()


def test_the_bulletin_ranks_and_lists_red_projects_overdue_problems_and_late_reporters(office):
    response = office.get(reverse("projects:bulletin_docx"), {"year": 2013, "month": 6})
    document = read(response.content)
    text = text_of(document)
    assert "关于2013年6月解放区重点项目推进情况的通报" in text
    result = ranking(Period(2013, 6))
    ranked = next(t for t in document.tables if rows(t)[0] == ["名次", "名称", "得分", "较上月"])
    assert [(r[0], r[1], r[2]) for r in rows(ranked)[1:]] == [
        (str(e.rank), e.name, str(e.score)) for e in result.officials
    ]
    assert "尚无填报" in text  # June 2013 has no report yet: said so
    red = next(t for t in document.tables if rows(t)[0] == ["项目", "牵头领导", "原因"])
    from projects.models import Light

    expected = Project.objects.with_progress(Period(2013, 6)).filter(light_rank=Light.RED.rank)
    assert {r[0] for r in rows(red)[1:]} == {p.name for p in expected} != set()
    late = next(t for t in document.tables if rows(t)[0] == ["牵头领导", "未按时填报项目"])
    assert len(rows(late)) - 1 == len({p.lead_official_id for p in Project.objects.all()})


def minutes_with(paragraph):
    """The default minutes template with one more paragraph, as .docx bytes."""
    template = minutes_template()
    template.add_paragraph(paragraph)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def upload(office, data):
    return office.post(
        reverse("admin:projects_documenttemplate_add"),
        {"kind": "minutes", "file": SimpleUploadedFile("纪要.docx", data)},
    )


def test_a_template_with_an_unknown_variable_is_refused_on_upload(office):
    response = upload(office, minutes_with("{{ meeting.secretary }}"))
    assert response.status_code == 200
    assert "secretary" in response.content.decode() and "没有这个变量" in response.content.decode()
    assert not DocumentTemplate.objects.exists()


@pytest.mark.parametrize(
    "broken, words",
    [
        ("{{ meeting.secretary }}", "secretary"),
        ("{% if %}", "标签有误"),
        (None, "不是可以读取的 Word"),
    ],
)
def test_a_broken_template_falls_back_to_the_default_and_says_why(office, broken, words):
    data = b"not a word document" if broken is None else minutes_with(broken)
    DocumentTemplate.objects.create(
        kind="minutes", file=SimpleUploadedFile("坏模板.docx", data)
    )  # saved past the admin's check, as a template that broke later would be
    response = office.get(reverse("projects:meeting_minutes_docx", args=[meeting().pk]))
    assert "例会纪要" in text_of(read(response.content))  # the default was used
    page = office.get(reverse("projects:meeting_detail", args=[meeting().pk])).content.decode()
    assert "未使用" in page and words in page


def test_an_office_template_that_renders_is_used(office):
    response = upload(office, minutes_with("本区自定义落款：{{ reporting_unit }}"))
    assert response.status_code == 302
    content = office.get(reverse("projects:meeting_minutes_docx", args=[meeting().pk])).content
    assert "本区自定义落款：解放区“四区联建”办公室" in text_of(read(content))


@pytest.mark.slow
def test_the_minutes_print_in_libreoffice(office, tmp_path):
    import re
    import subprocess

    source = tmp_path / "minutes.docx"
    source.write_bytes(
        office.get(reverse("projects:meeting_minutes_docx", args=[meeting().pk])).content
    )
    pages = printed_pages(source, tmp_path)
    flat = "".join("".join(pages).split())
    assert "例会纪要" in flat and "—1—" in flat  # the page number in the footer
    assert "解放区“四区联建”办公室" in flat and "解发改纪〔2013〕1号" in flat
    for name in Project.objects.values_list("name", flat=True):
        assert name in flat, name
    # “— N —” at the outer edge: right on odd pages, left on even ones.
    assert len(pages) >= 2
    for number in range(1, len(pages) + 1):
        boxes = subprocess.run(
            [
                "pdftotext",
                "-f",
                str(number),
                "-l",
                str(number),
                "-bbox",
                str(source.with_suffix(".pdf")),
                "-",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        # The page number is the lowest word N on the page (the text above may hold an N too).
        words = re.findall(rf'xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>{number}</word>', boxes)
        x = float(max(words, key=lambda word: float(word[1]))[0])
        assert (x > 300) if number % 2 else (x < 300), (number, x)


def test_blank_meeting_fields_leave_their_phrase_out(office):
    """No “在主持召开” and no “参加人员：。” when the chair, venue or attendees are blank."""
    m = meeting()
    m.chair = m.venue = m.attendees = ""
    m.save()
    text = text_of(read(office.get(reverse("projects:meeting_minutes_docx", args=[m.pk])).content))
    assert "2013年5月28日，召开" in text
    assert "在主持召开" not in text and "参加人员" not in text
    m.chair, m.venue, m.attendees = "常务副区长", "区政府三楼会议室", "各牵头领导"
    m.save()
    text = text_of(read(office.get(reverse("projects:meeting_minutes_docx", args=[m.pk])).content))
    assert "常务副区长在区政府三楼会议室主持召开" in text and "参加人员：各牵头领导。" in text


def test_each_kind_is_numbered_per_year_and_keeps_its_number(office):
    """发文字号: 解发改纪〔2013〕1号 for the first minutes of 2013, 2号 for the next meeting's;
    a minutes downloaded again keeps its number; bulletins count on their own."""
    from django.utils import timezone

    first = meeting()
    second = Meeting.objects.create(number=6, date="2013-06-27", year=2013, month=6)

    def number_of(url, **params):
        paragraphs = read(office.get(url, params).content).paragraphs
        return next(p.text for p in paragraphs[:4] if "〔" in p.text)

    minutes = "projects:meeting_minutes_docx"
    assert number_of(reverse(minutes, args=[second.pk])) == "解发改纪〔2013〕1号"
    assert number_of(reverse(minutes, args=[first.pk])) == "解发改纪〔2013〕2号"
    assert number_of(reverse(minutes, args=[second.pk])) == "解发改纪〔2013〕1号"
    year = timezone.localdate().year
    bulletin = reverse("projects:bulletin_docx")
    assert number_of(bulletin, year=2013, month=5) == f"解发改通〔{year}〕1号"
    assert number_of(bulletin, year=2013, month=4) == f"解发改通〔{year}〕2号"
    assert number_of(bulletin, year=2013, month=5) == f"解发改通〔{year}〕1号"


def test_the_default_templates_follow_the_government_document_layout():
    """A4 with the GB/T 9704 margins, 方正小标宋 2号 title, 仿宋 3号 body with 宋体 named as its
    fallback, and the page number in the footer."""
    import zipfile

    from docx.shared import Pt

    from projects.meetings import documents

    for kind in ("minutes", "bulletin"):
        path = documents.DEFAULTS / f"{kind}.docx"
        document = docx.Document(path)
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
        title = next(
            p.runs[0] for p in document.paragraphs if p.runs and p.runs[0].font.size == Pt(22)
        )
        assert title.font.name == "方正小标宋简体"
        # 版头: the office's name in red 小标宋, the 发文字号, and a red rule under them.
        issuer = document.paragraphs[0].runs[0]
        assert issuer.text == "{{ issuer }}" and str(issuer.font.color.rgb) == "FF0000"
        assert issuer.font.name == "方正小标宋简体"
        number = next(p for p in document.paragraphs if p.text == "{{ number }}")
        assert 'w:bottom w:val="single"' in number._p.xml and 'w:color="FF0000"' in number._p.xml
        # Headings keep with what follows; every table's header row repeats on a new page.
        for heading in (p for p in document.paragraphs if p.text[:2] in ("一、", "二、", "三、")):
            assert heading.paragraph_format.keep_with_next, heading.text
        for table in document.tables:
            assert "<w:tblHeader" in table.rows[0]._tr.xml
        # 版记 at the end: 抄送 (when set), 印发机关 and 印发日期.
        text = text_of(document)
        assert "抄送：{{ copy_to }}。" in text and "{{ today }}印发" in text
        # Chinese text is marked zh-CN; page numbers sit at the outer edge (odd and even).
        package = zipfile.ZipFile(path)
        assert 'w:eastAsia="zh-CN"' in package.read("word/styles.xml").decode()
        assert "evenAndOddHeaders" in package.read("word/settings.xml").decode()
        assert "PAGE" in section.even_page_footer._element.xml
        body = next(p for p in document.paragraphs if p.text.startswith(("截至", "全区")))
        assert body.runs[0].font.size == Pt(16) and body.runs[0].font.name == "仿宋_GB2312"
        fonts = zipfile.ZipFile(path).read("word/fontTable.xml").decode()
        assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="宋体"/>' in fonts
        footer = section.footer._element.xml
        assert "PAGE" in footer


def test_control_characters_stored_earlier_do_not_break_the_documents(office):
    m = meeting()
    Meeting.objects.filter(pk=m.pk).update(minutes="第一条\x0b第二条\x01", venue="三楼\x1b会议室")
    document = read(office.get(reverse("projects:meeting_minutes_docx", args=[m.pk])).content)
    text = text_of(document)
    assert "第一条\n第二条" in text and "三楼会议室" in text
