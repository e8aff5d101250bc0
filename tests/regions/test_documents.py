"""Each district prints its own documents (setup_demo --city, May 2013): its own Word
template (or its city's when it has none), its own 发文字号 from 1 each year with its own
prefix, and never a sibling's template or number."""

import io

import docx
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from projects.meetings.docx_layout import bulletin_template
from projects.models import DocumentNumber, DocumentTemplate, Region
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

MAY = {"year": 2013, "month": 5}


@pytest.fixture
def city(db):
    setup_demo(year=2013, city=True)


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def marked(text):
    """The default bulletin template with one more paragraph, as .docx bytes."""
    template = bulletin_template()
    template.add_paragraph(text)
    buffer = io.BytesIO()
    template.save(buffer)
    return buffer.getvalue()


def upload(client, data, region=""):
    return client.post(
        reverse("admin:projects_documenttemplate_add"),
        {"kind": "bulletin", "region": region, "file": SimpleUploadedFile("通报.docx", data)},
    )


def bulletin(client):
    response = client.get(reverse("projects:bulletin_docx"), MAY)
    assert response.status_code == 200
    return [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]


def test_a_districts_template_is_its_own(client, city):
    """山阳区's office uploads a 通报 template: 山阳区 prints with it, 解放区 does not, and
    解放区's office neither sees it in the admin nor may choose 山阳区 for its own."""
    shanyang = Region.objects.get(code="410811")
    page = as_user(client, "shanyang").get(reverse("admin:projects_documenttemplate_add"))
    assert page.context["adminform"].form.initial["region"] == shanyang.pk
    assert upload(client, marked("山阳区专用模板"), shanyang.pk).status_code == 302
    assert DocumentTemplate.objects.get().region == shanyang
    assert "山阳区专用模板" in bulletin(client)

    office = as_user(client, "office")
    assert "山阳区专用模板" not in bulletin(office)
    listing = office.get(reverse("admin:projects_documenttemplate_changelist"))
    assert listing.context["cl"].result_count == 0
    refused = upload(office, marked("冒用"), shanyang.pk)
    assert refused.status_code == 200 and "region" in refused.context["adminform"].form.errors
    assert DocumentTemplate.objects.count() == 1


def test_a_citys_template_serves_the_districts_without_their_own(client, city):
    city_region = Region.objects.get(code="410800")
    assert (
        upload(as_user(client, "jiaozuo"), marked("焦作市统一模板"), city_region.pk).status_code
        == 302
    )
    assert "焦作市统一模板" in bulletin(as_user(client, "office"))
    shanyang = Region.objects.get(code="410811")
    assert (
        upload(as_user(client, "shanyang"), marked("山阳区专用模板"), shanyang.pk).status_code
        == 302
    )
    texts = bulletin(client)
    assert "山阳区专用模板" in texts and "焦作市统一模板" not in texts


def test_each_district_numbers_its_own_documents(client, city):
    """Each district's first 通报 of the year is its 1号, under its own prefix."""
    Region.objects.filter(code="410811").update(document_prefix="山发改")
    jiefang = bulletin(as_user(client, "office"))
    shanyang = bulletin(as_user(client, "shanyang"))
    assert any(text.startswith("解发改通〔") and text.endswith("〕1号") for text in jiefang), (
        jiefang
    )
    assert any(text.startswith("山发改通〔") and text.endswith("〕1号") for text in shanyang)
    numbers = DocumentNumber.objects.order_by("region__code")
    assert [(n.region.code, n.serial) for n in numbers] == [("410802", 1), ("410811", 1)]
    # Printed again, each keeps its number; nothing new is issued.
    bulletin(as_user(client, "office"))
    assert DocumentNumber.objects.count() == 2
