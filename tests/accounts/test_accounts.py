"""账号管理 between two districts and their city (setup_demo --city): each level creates the
accounts of the level below. A district's office lists, creates and changes the accounts of
its own district only (never an office account, never one above or beside it); the city's
office sees both districts and creates their offices; superusers are nobody's to list."""

import pytest
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from projects.models import Official, Region, Unit
from tests.conftest import setup_demo

pytestmark = pytest.mark.django_db

JIEFANG, SHANYANG, CITY = "410802", "410811", "410800"
PAGES = ["projects:accounts", "projects:account_create"]


@pytest.fixture
def city(db):
    setup_demo(year=2013, city=True)


def as_user(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def region(code):
    return Region.objects.get(code=code)


def listed(client, username, **query):
    page = as_user(client, username).get(reverse("projects:accounts"), query)
    assert page.status_code == 200
    return {account.username for account in page.context["object_list"]}


def create(client, **data):
    return client.post(reverse("projects:account_create"), data)


def new_data(code=JIEFANG, **fields):
    return {"name": "新同事", "username": "newcomer", "region": region(code).pk} | fields


def edit_url(username):
    return reverse("projects:account_edit", args=[User.objects.get(username=username).pk])


def can_log_in(username, password):
    """Through the log-in page, as a person would (django-axes wants the request)."""
    response = Client().post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302


def errors(response):
    return [str(error) for errors in response.context["form"].errors.values() for error in errors]


@pytest.mark.parametrize("username", ["chenlixin", "liaison", "observer", "jiaobei", "nobody"])
def test_only_offices_use_the_accounts_pages(client, city, username):
    """Lead officials, liaisons, observers, unit contacts and accounts with no role get 403 on
    every page of 账号管理 (GET and POST), and nothing is created or changed."""
    User.objects.create_user("nobody", password="pw-for-tests-only")
    as_user(client, username)
    liaison = User.objects.get(username="liaison")
    for name, args in [
        *((page, []) for page in PAGES),
        ("projects:account_edit", [liaison.pk]),
        ("projects:account_password", [liaison.pk]),
    ]:
        url = reverse(name, args=args)
        assert client.get(url).status_code in (403, 405), (name, username)
        assert client.post(url, new_data(role="observer")).status_code == 403, (name, username)
    assert not User.objects.filter(username="newcomer").exists()
    assert not LogEntry.objects.exists()
    menu = client.get(reverse("projects:help")).content.decode()
    assert f'href="{reverse("projects:accounts")}"' not in menu


def test_the_menu_links_the_page_for_offices(client, city):
    for username in ("office", "jiaozuo"):
        page = as_user(client, username).get(reverse("projects:help"))
        assert f'href="{reverse("projects:accounts")}"' in page.content.decode()


def test_a_district_office_lists_its_own_accounts_only(client, city):
    """山阳区's office sees nothing of 解放区's accounts, nor the city's; 解放区's sees its own;
    the city's sees both districts and its own."""
    jiefang = {"office", "observer", "chenlixin", "liuweidong", "wanghongmei", "zhaozhiqiang"}
    jiefang |= {"liaison", "jiaobei"}
    assert listed(client, "shanyang") == {"shanyang"}
    assert listed(client, "office") == jiefang
    assert listed(client, "jiaozuo") == jiefang | {"shanyang", "jiaozuo", "jiaozuo_observer"}
    assert listed(client, "jiaozuo", region=SHANYANG) == {"shanyang"}
    assert listed(client, "jiaozuo", q="chen") == {"chenlixin"}
    # A region beyond the office's is no filter at all: its own accounts still.
    assert listed(client, "shanyang", region=JIEFANG) == {"shanyang"}


def test_the_list_shows_name_region_role_state_and_last_login(client, city):
    as_user(client, "jiaozuo")
    User.objects.filter(username="liaison").update(is_active=False)
    text = client.get(reverse("projects:accounts")).content.decode()
    for shown in ("陈立新", "chenlixin", "山阳区", "联络员", "责任单位联系人", "领导（只读）"):
        assert shown in text
    assert "停用" in text and "最近登录" in text
    # The city's own office account is listed but not the city's to change.
    assert edit_url("jiaozuo") not in text
    assert edit_url("shanyang") in text and edit_url("office") in text


def test_superusers_are_never_listed_nor_changed(client, city):
    admin = User.objects.create_superuser("root", password="pw-for-tests-only")
    from projects.models import Profile

    Profile.objects.create(user=admin, region=region(JIEFANG))
    for username in ("office", "jiaozuo"):
        assert "root" not in listed(client, username)
        assert client.get(edit_url("root")).status_code == 404
        response = client.post(reverse("projects:account_password", args=[admin.pk]))
        assert response.status_code == 404
    admin.refresh_from_db()
    assert admin.check_password("pw-for-tests-only") and admin.is_superuser


def test_a_siblings_account_answers_404_and_nothing_changes(client, city):
    """山阳区's office gets 404 for 解放区's accounts by URL (page, change, password), and
    neither their name nor their password changes."""
    as_user(client, "shanyang")
    lead = User.objects.get(username="chenlixin")
    assert client.get(edit_url("chenlixin")).status_code == 404
    data = {"name": "改名", "role": "observer", "is_active": ""}
    assert client.post(edit_url("chenlixin"), data).status_code == 404
    url = reverse("projects:account_password", args=[lead.pk])
    assert client.post(url).status_code == 404
    lead.refresh_from_db()
    assert lead.first_name == "陈立新" and lead.is_active
    assert lead.check_password("jiefang-demo-2013")
    assert not LogEntry.objects.exists()


def test_an_office_changes_no_account_above_or_beside_it(client, city):
    """A district's office cannot open the city's accounts, its own office account or itself;
    the city's office cannot open its own."""
    as_user(client, "office")
    for username in ("jiaozuo", "jiaozuo_observer", "shanyang", "office"):
        assert client.get(edit_url(username)).status_code == 404, username
    as_user(client, "jiaozuo")
    assert client.get(edit_url("jiaozuo")).status_code == 404


def test_the_city_creates_a_district_office(client, city):
    """The city's office makes 山阳区 a second office account: in the office's group, able to
    use the admin, of 山阳区; its password shown once; recorded with who made it."""
    as_user(client, "jiaozuo")
    response = create(client, **new_data(SHANYANG, role="office", username="shanyang2"))
    account = User.objects.get(username="shanyang2")
    assert response.status_code == 302 and response.url == edit_url("shanyang2")
    assert [g.name for g in account.groups.all()] == ["project_office"]
    assert account.is_staff and not account.is_superuser
    assert not account.user_permissions.exists()
    assert account.profile.region.code == SHANYANG
    entry = LogEntry.objects.get()
    assert entry.action_flag == ADDITION and entry.user.username == "jiaozuo"
    assert entry.object_id == str(account.pk)
    assert entry.change_message == "建立新同事的账号：山阳区项目办"

    page = client.get(response.url).content.decode()
    password = page.split('<code class="password">')[1].split("</code>")[0]
    assert len(password) == 12 and can_log_in("shanyang2", password)
    assert '<code class="password">' not in client.get(response.url).content.decode()
    # The new office sees its district's accounts, and not its sibling's.
    assert listed(Client(), "shanyang2") == {"shanyang", "shanyang2"}


def test_the_city_office_creates_no_office_account_in_the_city(client, city):
    """The city's own region: a clear message, nothing created."""
    as_user(client, "jiaozuo")
    response = create(client, **new_data(CITY, role="office"))
    assert response.status_code == 200
    assert errors(response) == ["项目办账号只能建在下级区域：焦作市是本级，不能再建项目办账号。"]
    assert not User.objects.filter(username="newcomer").exists()
    assert not LogEntry.objects.exists()


def test_a_district_office_creates_no_office_account(client, city):
    """A district's office is offered no office role; a forged POST answers 403 and creates
    nothing."""
    as_user(client, "office")
    form = client.get(reverse("projects:account_create")).context["form"]
    assert "office" not in dict(form.fields["role"].choices)
    assert create(client, **new_data(role="office")).status_code == 403
    assert (
        client.post(edit_url("observer"), {"name": "区领导", "role": "office"}).status_code == 403
    )
    assert not User.objects.filter(username="newcomer").exists()
    assert not User.objects.get(username="observer").groups.filter(name="project_office").exists()
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize("code", [CITY, SHANYANG])
def test_a_district_office_creates_nothing_above_or_beside_it(client, city, code):
    """The city's or the sibling's region, forged into the form: 404, nothing created."""
    as_user(client, "office")
    regions = client.get(reverse("projects:account_create")).context["form"].fields["region"]
    assert [r.code for r in regions.queryset] == [JIEFANG]
    assert create(client, **new_data(code, role="observer")).status_code == 404
    assert create(client, **new_data(role="observer") | {"region": "x"}).status_code == 404
    assert not User.objects.filter(username="newcomer").exists()


def test_a_district_office_creates_a_lead_official_for_its_official(client, city):
    """The account is the official's (Official.user, as the admin sets it); the official must
    be chosen, be free and be of the district: each refused with a message."""
    as_user(client, "office")
    free = Official.objects.create(name="新领导", region=region(JIEFANG))
    response = create(client, **new_data(role="lead"))
    assert errors(response) == ["请选择该账号对应的牵头领导。"]
    taken = Official.objects.get(name="陈立新")
    sibling = Official.objects.get(name="孙建华")
    for official in (taken, sibling):
        response = create(client, **new_data(role="lead", official=official.pk))
        assert response.status_code == 200 and "official" in response.context["form"].errors
    assert not User.objects.filter(username="newcomer").exists()
    response = create(client, **new_data(role="lead", official=free.pk))
    assert response.status_code == 302
    free.refresh_from_db()
    assert free.user.username == "newcomer"
    assert list(free.user.groups.values_list("name", flat=True)) == ["lead_official"]


def test_a_unit_contact_answers_for_the_units_chosen(client, city):
    as_user(client, "office")
    unit = Unit.objects.get(name="焦北街道办事处")
    response = create(client, **new_data(role="unit"))
    assert errors(response) == ["请选择该联系人负责的单位。"]
    assert create(client, **new_data(role="unit", units=[unit.pk])).status_code == 302
    assert list(unit.contacts.filter(username="newcomer")) == [
        User.objects.get(username="newcomer")
    ]


def test_a_user_name_taken_is_refused(client, city):
    """Whatever its case: a clear message, nothing created."""
    as_user(client, "office")
    before = User.objects.count()
    response = create(client, **new_data(role="observer", username="ChenLixin"))
    assert errors(response) == ["用户名“ChenLixin”已被使用，请换一个。"]
    assert User.objects.count() == before and not LogEntry.objects.exists()


def test_the_city_creates_an_account_in_a_district(client, city):
    """Any role but the office's in its own region; an account of a district there."""
    as_user(client, "jiaozuo")
    assert create(client, **new_data(CITY, role="observer")).status_code == 302
    assert create(client, **new_data(JIEFANG, role="liaison", username="l2")).status_code == 302
    assert User.objects.get(username="l2").profile.region.code == JIEFANG
    assert listed(client, "office") >= {"l2"}


def test_an_office_changes_and_deactivates_an_account(client, city):
    """Name, role (the links follow) and active; deactivated, not deleted; each change in the
    account's history with who made it."""
    as_user(client, "office")
    lead = User.objects.get(username="chenlixin")
    data = {"name": "陈立新（已调离）", "role": "observer", "is_active": ""}
    response = client.post(edit_url("chenlixin"), data)
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.first_name == "陈立新（已调离）" and not lead.is_active
    assert list(lead.groups.values_list("name", flat=True)) == ["observer"]
    assert not Official.objects.filter(user=lead).exists()  # the official is free again
    entry = LogEntry.objects.get()
    assert entry.action_flag == CHANGE and entry.user.username == "office"
    assert "状态：启用 → 停用" in entry.change_message
    assert "身份：牵头领导 → 领导（只读）" in entry.change_message
    assert not can_log_in("chenlixin", "jiefang-demo-2013")
    # Saving again as it is: nothing changed, nothing recorded.
    client.post(edit_url("chenlixin"), data)
    assert LogEntry.objects.count() == 1


def test_resetting_a_password_shows_the_new_one_once(client, city):
    as_user(client, "office")
    liaison = User.objects.get(username="liaison")
    url = reverse("projects:account_password", args=[liaison.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, follow=True)
    text = response.content.decode()
    password = text.split('<code class="password">')[1].split("</code>")[0]
    liaison.refresh_from_db()
    assert liaison.check_password(password) and not liaison.check_password("jiefang-demo-2013")
    assert LogEntry.objects.get().change_message == "重置密码"
    assert password not in client.get(edit_url("liaison")).content.decode()


def test_anyone_changes_their_own_password(client, city):
    as_user(client, "jiaobei")
    url = reverse("password_change")
    assert url in client.get(reverse("projects:help")).content.decode()
    response = client.post(
        url,
        {
            "old_password": "jiefang-demo-2013",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert "密码只包含数字。" in response.content.decode()
    new = {"new_password1": "Taihang-Spring-7", "new_password2": "Taihang-Spring-7"}
    response = client.post(url, {"old_password": "jiefang-demo-2013", **new})
    assert response.status_code == 302
    assert can_log_in("jiaobei", "Taihang-Spring-7")


def test_the_list_costs_the_same_for_more_accounts(client, city):
    """One page of accounts is a fixed number of queries, however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects.models import Profile

    as_user(client, "jiaozuo")
    url = reverse("projects:accounts")
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    shanyang = region(SHANYANG)
    for i in range(20):
        user = User.objects.create_user(f"extra{i}", first_name=f"新人{i}")
        user.groups.add(*User.objects.get(username="chenlixin").groups.all())
        Profile.objects.create(user=user, region=shanyang)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["object_list"]) == 31
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_user_admin_stays_superuser_only(client, city):
    """The admin's accounts are the superuser's: an office (staff) cannot list or add them
    there; the page is where it looks after accounts."""
    as_user(client, "jiaozuo")
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_add")).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403


def test_a_single_district_office_looks_after_accounts_without_a_profile(client, db):
    """With one district, an account made before regions (no profile) is the district's."""
    setup_demo(year=2013)
    old = User.objects.create_user("old_hand", first_name="老同事")
    old.groups.add(*User.objects.get(username="observer").groups.all())
    assert "old_hand" in listed(client, "office")
    response = client.post(
        edit_url("old_hand"), {"name": "老同事", "role": "liaison", "is_active": "on"}
    )
    assert response.status_code == 302
    assert not old.groups.filter(name="observer").exists()


def test_a_superuser_creates_the_first_office_of_a_district(client, city):
    """After `createsuperuser` (no region): every account but superusers, every region and
    role; the city's office account too."""
    root = User.objects.create_superuser("root", password="pw-for-tests-only")
    client.force_login(root)
    assert "jiaozuo" in listed(client, "root") and "root" not in listed(client, "root")
    response = create(client, **new_data(CITY, role="office", username="city2"))
    assert response.status_code == 302
    assert User.objects.get(username="city2").groups.get().name == "project_office"
    assert client.get(edit_url("jiaozuo")).status_code == 200


def test_the_admins_choices_of_people_are_the_offices_region(client, city):
    """A unit's contacts and a project's liaisons offer 山阳区's office its own accounts only,
    never 解放区's (the admin is scoped as the page)."""
    from projects.models import Project

    unit = Unit.objects.get(name="艺新街道办事处")
    project = Project.objects.get(code="SY2013-001")
    as_user(client, "shanyang")
    for url, field in [
        (reverse("admin:projects_unit_change", args=[unit.pk]), "contacts"),
        (reverse("admin:projects_project_change", args=[project.pk]), "liaisons"),
    ]:
        form = client.get(url).context["adminform"].form
        assert not form.fields[field].queryset.filter(profile__region__code=JIEFANG).exists()
    as_user(client, "office")
    unit = Unit.objects.get(name="焦北街道办事处")
    form = client.get(reverse("admin:projects_unit_change", args=[unit.pk])).context
    assert "jiaobei" in {u.username for u in form["adminform"].form.fields["contacts"].queryset}


def test_an_office_account_without_a_profile_is_its_districts_own(client, db):
    """With one district, an office account made before regions is of the district: not its
    office's to change."""
    setup_demo(year=2013)
    old = User.objects.create_user("old_office", first_name="老项目办")
    old.groups.add(*User.objects.get(username="office").groups.all())
    assert "old_office" in listed(client, "office")
    assert client.get(edit_url("old_office")).status_code == 404
