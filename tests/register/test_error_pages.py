"""403, 404, 400 and 500 are Chinese pages with the site's header; a 403 shows the message
queued by the view that refused (e.g. why a month is locked)."""

import pytest
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import bad_request, server_error

from projects.models import MonthLock, MonthlyReport

pytestmark = pytest.mark.django_db


def test_404_is_a_chinese_page_with_the_header(client, demo_users):
    client.force_login(User.objects.get(username="office"))
    response = client.get(reverse("projects:project_detail", args=[999999]))
    html = response.content.decode()
    assert response.status_code == 404
    assert "页面不存在" in html and 'class="topbar"' in html and "重点项目" in html
    assert "Not Found" not in html


def test_403_says_why_a_locked_month_cannot_be_changed(client, demo_users):
    report = MonthlyReport.objects.get(project__code="JF2013-001", year=2013, month=5)
    MonthLock.objects.create(year=2013, month=5)
    client.force_login(User.objects.get(username="liaison"))
    response = client.get(reverse("projects:report_edit", args=[report.pk]))
    html = response.content.decode()
    assert response.status_code == 403
    assert "无权打开" in html and 'class="topbar"' in html
    # The one true reason (the lock, when), not also "your role does not allow this".
    assert "2013年5月" in html and "锁定" in html and "只有项目办" in html
    assert "您账号的角色不允许" not in html
    assert "Forbidden" not in html


def test_403_for_a_role_without_access(client, demo_users):
    client.force_login(User.objects.get(username="observer"))
    response = client.get(reverse("projects:import"))
    assert response.status_code == 403
    assert "无权打开" in response.content.decode()


def test_500_and_400_are_chinese_pages_without_a_request_context():
    request = RequestFactory().get("/")
    for view, status, words in ((server_error, 500, "服务器出错"), (bad_request, 400, "无法处理")):
        if view is bad_request:
            response = view(request, Exception("bad"))
        else:
            response = view(request)
        html = response.content.decode()
        assert response.status_code == status
        assert words in html and 'class="topbar"' in html, html[:300]
