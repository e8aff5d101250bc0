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

TYPED = '第一条:<加快> & "按期"\n第二条:下月再议'


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
    response = upload(office, minutes_with("本区自定义落款:{{ reporting_unit }}"))
    assert response.status_code == 302
    content = office.get(reverse("projects:meeting_minutes_docx", args=[meeting().pk])).content
    assert "本区自定义落款:解放区“四区联建”办公室" in text_of(read(content))


def test_the_minutes_print_in_libreoffice(office, tmp_path):
    source = tmp_path / "minutes.docx"
    source.write_bytes(
        office.get(reverse("projects:meeting_minutes_docx", args=[meeting().pk])).content
    )
    flat = "".join("".join(printed_pages(source, tmp_path)).split())
    assert "例会纪要" in flat and "—1—" in flat  # the page number in the footer
    for name in Project.objects.values_list("name", flat=True):
        assert name in flat, name


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
        title = document.paragraphs[0].runs[0]
        assert (title.font.name, title.font.size) == ("方正小标宋简体", Pt(22))
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
