"""帮助 is split by role: each role reads its own part of the guide, and only the project
office reads the administration, the settings and the Word template variables; no part
asks the reader to hover."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db

# What only the office's part says: the administration, settings, template variables.
OFFICE_ONLY = [
    "管理后台",
    "JIEFANG_",
    "模板中可用的变量",
    "meeting.title",
    "db_worker",
    "项目办：登记、例会与督办",
    "督办单",
]
# What each role's own part says (a heading or a page they use).
OWN = {
    "office": ["用手机每月填报", "我的问题", "月度排名通报", "项目办：Word 模板"],
    "chenlixin": ["用手机每月填报", "我的问题", "月度排名通报", "区领导和上级"],
    "liaison": ["用手机每月填报", "我的问题", "月度排名通报"],
    "observer": ["月度排名通报", "区领导和上级", "填报截止日"],
    "jiaobei": ["我的问题", "申请销号", "填报截止日"],
}
# Parts of other roles that a role does not read.
NOT_OWN = {
    "chenlixin": [],
    "liaison": [],
    "observer": ["用手机每月填报", "申请销号"],
    "jiaobei": ["用手机每月填报", "月度排名通报", "区领导和上级"],
}


def guide(client, username):
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse("projects:help"))
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<article class="guide">') : html.index("</article>")]


@pytest.mark.parametrize("username", sorted(OWN))
def test_each_role_reads_its_own_part_of_the_guide(client, demo_users, username):
    """Every role reads the introduction and its own parts; the office part (administration,
    settings, template variables) is absent for every role but the office."""
    text = guide(client, username)
    assert "进度状态（红黄绿灯）" in text
    for phrase in OWN[username]:
        assert phrase in text, (username, phrase)
    for phrase in OFFICE_ONLY:
        assert (phrase in text) == (username == "office"), (username, phrase)
    for phrase in NOT_OWN.get(username, []):
        assert phrase not in text, (username, phrase)
    # No role is told to hover: a finger cannot.
    assert not re.search("鼠标|悬停|hover", text, re.I)


def test_a_non_office_part_is_much_shorter_than_the_whole(client, demo_users):
    """A lead official reads well under the office's guide; the office reads every part."""
    office = guide(client, "office")
    lead = guide(client, "chenlixin")
    assert len(lead) < len(office) * 2 / 3


def test_the_guides_tables_are_tables(client, demo_users):
    """The ranking's measures come out as a table (which the stylesheet fits to a phone),
    not as a line of pipes."""
    text = guide(client, "observer")
    assert "<table>" in text and "| --- |" not in text
