"""The default Word templates (templates/docx/), written with python-docx in the conventions
of government documents (GB/T 9704): A4; margins 37/35/28/26 mm; title 方正小标宋简体 二号
(22 pt); body 仿宋_GB2312 三号 (16 pt) at a fixed 28.9 pt line, 22 lines of 28 characters a
page; headings 黑体 and 楷体_GB2312; the page number centred in the footer as “— 1 —”.

The tags are docxtpl's (Jinja): `{{ … }}` values, `{%p … %}` paragraph and `{%tr … %}` table
row blocks. `manage.py write_docx_templates` writes them; the office may upload its own in
the admin (see documents.py for the variables each receives).
"""

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TITLE_FONT, BODY_FONT, HEADING_FONT, SUB_FONT = (
    "方正小标宋简体",
    "仿宋_GB2312",
    "黑体",
    "楷体_GB2312",
)
TABLE_FONT = "宋体"

TABLE_SIZE = 9  # 小五 is too small to read; 五号 (10.5) wraps the amounts of 10k yuan


def _font(run, name, size, bold=False):
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), name)


def _paragraph(document, text, font=BODY_FONT, size=16, align=None, bold=False, indent=True):
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(28.9)
    paragraph.paragraph_format.space_after = Pt(0)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)
    if align is not None:
        paragraph.alignment = align
    _font(paragraph.add_run(text), font, size, bold)
    return paragraph


RED = RGBColor(0xFF, 0x00, 0x00)


def _border(paragraph, edge, size=12, color="FF0000"):
    """A rule along one edge of `paragraph` (size in eighths of a point)."""
    borders = paragraph._p.get_or_add_pPr().find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        paragraph._p.get_or_add_pPr().append(borders)
    line = OxmlElement(f"w:{edge}")
    for name, value in (("val", "single"), ("sz", str(size)), ("space", "1"), ("color", color)):
        line.set(qn(f"w:{name}"), value)
    borders.append(line)


def _page_number(section):
    """“— PAGE —” in the footer, 宋体 四号, at the outer edge: right on odd pages, left on
    even ones (GB/T 9704 7.5)."""
    _page_number_in(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number_in(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)


def _page_number_in(paragraph, align):
    paragraph.alignment = align
    _font(paragraph.add_run("— "), TABLE_FONT, 14)
    run = paragraph.add_run()
    _font(run, TABLE_FONT, 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)
    _font(paragraph.add_run(" —"), TABLE_FONT, 14)


# The font Word (or WPS) uses where a document's font is not installed: its altName in the
# document's font table.
FALLBACKS = {TITLE_FONT: "黑体", BODY_FONT: "宋体", SUB_FONT: "楷体", HEADING_FONT: "SimHei"}


def _fallbacks(document):
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            entries = "".join(
                f'<w:font w:name="{name}"><w:altName w:val="{alternative}"/>'
                '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
                "</w:font>"
                for name, alternative in FALLBACKS.items()
            )
            part._blob = part.blob.replace(b"</w:fonts>", entries.encode() + b"</w:fonts>")


def _document():
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    _chinese(document)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section)
    _fallbacks(document)
    return document


def _chinese(document):
    """Text marked zh-CN in the document's defaults and every style, so that a 公文 font that
    is missing falls back to a Chinese face, not a Japanese one."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    elements = [defaults.find(qn("w:rPrDefault"))] if defaults is not None else []
    elements += [style for style in styles.findall(qn("w:style"))]
    for element in elements:
        if element is None:
            continue
        rpr = element.find(qn("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            element.append(rpr)
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:val"), "zh-CN")
        lang.set(qn("w:eastAsia"), "zh-CN")


def _head(document):
    """The 版头: 发文机关标志 in red 小标宋, the 发文字号, and the red rule under them. A blank
    发文字号 (an office template's sample) leaves its line out."""
    issuer = _paragraph(
        document, "{{ issuer }}", TITLE_FONT, 26, WD_ALIGN_PARAGRAPH.CENTER, indent=False
    )
    issuer.runs[0].font.color.rgb = RED
    issuer.paragraph_format.line_spacing = Pt(40)
    _paragraph(document, "", indent=False)
    number = _paragraph(document, "{{ number }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _border(number, "bottom", size=18)
    number.paragraph_format.space_after = Pt(20)


def _imprint(document):
    """The 版记 on the last lines: 抄送 (when set), then 印发机关 and 印发日期, between rules."""
    _paragraph(document, "", indent=False)
    _paragraph(document, "{%p if copy_to %}", indent=False)
    copy = _paragraph(document, "抄送：{{ copy_to }}。", size=14, indent=False)
    copy.paragraph_format.left_indent = Pt(14)
    _border(copy, "top", size=8, color="000000")
    _paragraph(document, "{%p endif %}", indent=False)
    imprint = _paragraph(document, "{{ reporting_unit }}\t{{ today }}印发", size=14, indent=False)
    imprint.paragraph_format.left_indent = Pt(14)
    imprint.paragraph_format.tab_stops.add_tab_stop(Mm(154), WD_TAB_ALIGNMENT.RIGHT)
    _border(imprint, "top", size=4, color="000000")
    _border(imprint, "bottom", size=8, color="000000")


def _title(document, text):
    _paragraph(document, text, TITLE_FONT, 22, WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(document, "", indent=False)


def _heading(document, text):
    """A heading stays on the page of the paragraph or table that follows it."""
    paragraph = _paragraph(document, text, HEADING_FONT, 16)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _table(document, headings, cells, loop, widths):
    """A table: the headings, then one row per item of `loop` (docxtpl's {%tr %} rows);
    `widths` in millimetres add up to the 156 mm between the margins."""
    table = document.add_table(rows=4, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = Mm(width)
    # The header row repeats at the top of every page the table runs onto.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    rows = [table.rows[0].cells, table.rows[1].cells, table.rows[2].cells, table.rows[3].cells]
    for index, heading in enumerate(headings):
        _font(rows[0][index].paragraphs[0].add_run(heading), HEADING_FONT, TABLE_SIZE)
        _font(rows[2][index].paragraphs[0].add_run(cells[index]), TABLE_FONT, TABLE_SIZE)
    _font(rows[1][0].paragraphs[0].add_run(f"{{%tr for row in {loop} %}}"), TABLE_FONT, 9)
    _font(rows[3][0].paragraphs[0].add_run("{%tr endfor %}"), TABLE_FONT, 9)
    return table


def _note(document, variable, text, size=16):
    """A paragraph printed only when `variable` is in the context and not zero or empty: the
    count of what a table leaves out. (A held meeting's record kept before these counts
    existed has no such variable: its document is reprinted word for word as issued.)"""
    _paragraph(document, f"{{%p if {variable} is defined and {variable} %}}", indent=False)
    _paragraph(document, text, size=size)
    _paragraph(document, "{%p endif %}", indent=False)


PROBLEM_HEADINGS = ["项目", "问题", "责任单位", "时限", "状态"]
PROBLEM_WIDTHS = [32, 50, 28, 24, 22]
PROBLEM_CELLS = [
    "{{ row." + name + " }}" for name in ("project", "description", "unit", "deadline", "status")
]


def minutes_template():
    document = _document()
    _head(document)
    _title(document, "{{ district }}“四区联建”重点项目推进例会纪要")
    _paragraph(document, "{{ meeting.title }}", align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(
        document,
        # A blank chair, venue or attendees leaves its phrase out: no “在主持召开”, no
        # “参加人员：。”.
        "{{ meeting.date }}，{% if meeting.chair %}{{ meeting.chair }}{% endif %}"
        "{% if meeting.venue %}在{{ meeting.venue }}{% endif %}"
        "{% if meeting.chair %}主持{% endif %}召开{{ meeting.title }}，"
        "听取{{ period }}各重点项目推进情况汇报。"
        "{% if meeting.attendees %}参加人员：{{ meeting.attendees }}。{% endif %}",
    )
    _heading(document, "一、总体情况")
    _paragraph(
        document,
        "全区{{ figures.count }}个重点项目，年度计划投资{{ figures.annual_plan }}万元，"
        "{{ figures.ytd_label }}完成投资{{ figures.ytd }}万元，完成率{{ figures.rate }}%，"
        "序时进度{{ figures.schedule }}%；正常{{ figures.green }}个、滞后{{ figures.yellow }}个、"
        "严重滞后{{ figures.red }}个、无计划{{ figures.none }}个。",
    )
    _heading(document, "二、各牵头领导分包项目进展")
    _paragraph(document, "{%p if full_list is defined and not full_list %}", indent=False)
    _paragraph(
        document,
        "各牵头领导名下列出严重滞后项目（按与序时进度差距，每人至多{{ names }}个），"
        "全部项目见重点项目进展情况表。",
    )
    _paragraph(document, "{%p endif %}", indent=False)
    _paragraph(document, "{%p for section in sections %}", indent=False)
    _paragraph(document, "{{ section.heading }}", SUB_FONT, 16)
    _note(
        document,
        "section.counts",
        "分包项目{{ section.counts.count }}个：正常{{ section.counts.green }}个、"
        "滞后{{ section.counts.yellow }}个、严重滞后{{ section.counts.red }}个、"
        "无计划{{ section.counts.none }}个；本次例会交办问题{{ section.problems.raised }}个，"
        "以前例会未销号问题{{ section.problems.open }}个（逾期{{ section.problems.overdue }}个）。",
    )
    _table(
        document,
        ["项目", "年度计划", "完成投资", "完成率%", "序时%", "状态", "形象进度"],
        [
            "{{ row.name }}",
            "{{ row.annual_plan }}",
            "{{ row.ytd }}",
            "{{ row.rate }}",
            "{{ row.schedule }}",
            "{{ row.light }}",
            "{{ row.progress }}",
        ],
        "section.projects",
        [26, 22, 22, 15, 15, 16, 40],
    )
    _note(
        document,
        "section.more_red",
        "另有{{ section.more_red }}个项目严重滞后，见重点项目进展情况表。",
    )
    _paragraph(document, "{%p endfor %}", indent=False)
    _heading(document, "三、会议议定事项")
    _paragraph(document, "{{ decisions }}")
    _heading(document, "四、本次例会提出的问题")
    _table(document, PROBLEM_HEADINGS, PROBLEM_CELLS, "problems", PROBLEM_WIDTHS)
    _note(document, "problems_more", "另有{{ problems_more }}个问题，见问题台账。")
    _heading(document, "五、以前例会未销号的问题")
    _table(document, PROBLEM_HEADINGS, PROBLEM_CELLS, "carried_over", PROBLEM_WIDTHS)
    _note(
        document,
        "carried_over_more",
        "另有{{ carried_over_more }}个未销号问题，见问题台账。",
    )
    _paragraph(document, "", indent=False)
    _paragraph(document, "{{ reporting_unit }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(document, "{{ today }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _imprint(document)
    return document


def bulletin_template():
    document = _document()
    _head(document)
    _title(document, "关于{{ period }}{{ district }}重点项目推进情况的通报")
    _heading(document, "一、总体情况")
    _paragraph(
        document,
        "截至{{ as_of }}，全区{{ figures.count }}个重点项目{{ figures.ytd_label }}完成投资"
        "{{ figures.ytd }}万元，占年度计划{{ figures.annual_plan }}万元的{{ figures.rate }}%，"
        "序时进度{{ figures.schedule }}%；正常{{ figures.green }}个、滞后{{ figures.yellow }}个、"
        "严重滞后{{ figures.red }}个、无计划{{ figures.none }}个。",
    )
    _note(  # a record held before the rates existed reprints without this paragraph
        document,
        "starts",
        "本年计划开工{{ starts.planned_starts }}个，已开工{{ starts.started }}个，"
        "开工率{{ starts.start_rate }}%（目标{{ starts.start_target }}%）；计划竣工"
        "{{ starts.planned_completions }}个，已竣工{{ starts.completed }}个，竣工率"
        "{{ starts.completion_rate }}%（目标{{ starts.completion_target }}%）。",
    )
    _heading(document, "二、排名情况")
    _paragraph(document, "{{ ranking_note }}")
    for title, loop in (("（一）牵头领导", "officials"), ("（二）功能区", "zones")):
        _paragraph(document, title, SUB_FONT, 16)
        _table(
            document,
            ["名次", "名称", "得分", "较上月"],
            ["{{ row.rank }}", "{{ row.name }}", "{{ row.score }}", "{{ row.movement }}"],
            loop,
            [18, 80, 28, 30],
        )
        _note(
            document,
            f"{loop}_more",
            f"另有{{{{ {loop}_more }}}}名未列出（列出前列和末位），完整排名见排名页。",
        )
    _paragraph(document, "（三）责任单位（问题按期销号）", SUB_FONT, 16)
    _table(
        document,
        ["名次", "单位", "得分"],
        ["{{ row.rank }}", "{{ row.name }}", "{{ row.score }}"],
        "units",
        [18, 100, 38],
    )
    _note(document, "units_more", "另有{{ units_more }}个单位未列出，完整排名见排名页。")
    _heading(document, "三、严重滞后项目")
    _table(
        document,
        ["项目", "牵头领导", "原因"],
        ["{{ row.name }}", "{{ row.official }}", "{{ row.reason }}"],
        "red_projects",
        [40, 26, 90],
    )
    _note(
        document,
        "red_more",
        "此外，{% for row in red_more %}{{ row.name }}另有{{ row.count }}个项目严重滞后"
        "{% if not loop.last %}，{% endif %}{% endfor %}；完整名单见重点项目进展情况表。",
    )
    _heading(document, "四、逾期未销号问题")
    _table(document, PROBLEM_HEADINGS, PROBLEM_CELLS, "overdue_problems", PROBLEM_WIDTHS)
    _note(
        document,
        "overdue_more",
        "另有{{ overdue_more }}个逾期未销号问题，见问题台账。",
    )
    _heading(document, "五、未按时填报")
    _table(
        document,
        ["牵头领导", "未按时填报项目"],
        ["{{ row.official }}", "{{ row.projects }}"],
        "late_reporters",
        [40, 116],
    )
    _note(
        document,
        "late_more",
        "另有{{ late_more }}位牵头领导的项目未按时填报，见填报情况。",
    )
    _paragraph(document, "", indent=False)
    _paragraph(document, "{{ reporting_unit }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _paragraph(document, "{{ today }}", align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    _imprint(document)
    return document


TEMPLATES = {"minutes": minutes_template, "bulletin": bulletin_template}
