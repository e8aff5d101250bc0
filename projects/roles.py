"""The four roles, as Django groups with model permissions.

Migrations 0002, 0005 and 0014 created them; after every migrate, grant_missing() gives them
the permissions of new models; ensure_roles() puts them back exactly as defined here (after a
database flush, for instance) and is what setup_demo relies on.
"""

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

MODELS = [
    "zone",
    "official",
    "unit",
    "project",
    "annualplan",
    "milestone",
    "monthlyreport",
    "meeting",
    "problem",
    "milestonetemplate",
    "milestonetemplateitem",
    "monthlock",
    "meetingsnapshot",
    "projectlevel",
    "scorerule",
    "statsfigure",
    "factorneed",
    "fundingsource",
    "stagechange",
    "starttarget",
]
ACTIONS = ("view", "add", "change", "delete")

ROLES = {
    "project_office": {
        "projects": [f"{action}_{model}" for model in MODELS for action in ACTIONS]
        + [f"{action}_documenttemplate" for action in ACTIONS]
        + [f"{action}_problemupdate" for action in ACTIONS]
        + [
            "view_notification",
            "add_notification",
            "view_reminderitem",
            "view_delivery",
            "change_delivery",
            # The API's tokens of the office's own region (projects/api/admin.py).
            "view_apitoken",
            "add_apitoken",
            "change_apitoken",
            # 账号管理: the accounts of the region and beneath (projects/accounts/rules.py).
            "manage_accounts",
        ],
        "axes": [
            "view_accessattempt",
            "delete_accessattempt",
            "view_accesslog",
            "view_accessfailurelog",
        ],
    },
    "lead_official": {
        "projects": [f"view_{model}" for model in MODELS]
        + ["add_monthlyreport", "change_monthlyreport", "change_milestone"]
        + ["view_problemupdate", "add_problemupdate"],
    },
    # 责任单位联系人: sees and answers for the problems assigned to their unit, nothing else.
    "unit_contact": {"projects": ["view_problem", "view_problemupdate", "add_problemupdate"]},
    "observer": {"projects": [f"view_{model}" for model in MODELS]},
}


def role_permissions(name):
    """The permissions of a role (a codename is unique within its app only)."""
    condition = Q()
    for label, codenames in ROLES[name].items():
        condition |= Q(content_type__app_label=label, codename__in=codenames)
    return Permission.objects.filter(condition)


def ensure_roles():
    """Create any missing role group and give each exactly its permissions.

    A flush that did not run the post-migrate handlers (as some test set-ups do) leaves no
    content types or permissions at all: they are put back first, or the roles would be empty
    (looked for in one query: setup_demo calls this, and the tests call setup_demo often).
    """
    ContentType.objects.clear_cache()
    wanted = {
        (label, codename)
        for role in ROLES.values()
        for label, codes in role.items()
        for codename in codes
    }
    condition = Q()
    for label, codename in wanted:
        condition |= Q(content_type__app_label=label, codename=codename)
    if Permission.objects.filter(condition).count() < len(wanted):
        for app_config in apps.get_app_configs():
            create_contenttypes(app_config, verbosity=0)
            create_permissions(app_config, verbosity=0)
    for name in ROLES:
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.set(role_permissions(name))


def grant_missing(sender, using="default", **kwargs):
    """post_migrate: give each existing role group the permissions of its definition that it
    lacks (new models' permissions exist only once their migration has run). Nothing is
    taken away: an office's own additions stay."""
    for name in ROLES:
        group = Group.objects.using(using).filter(name=name).first()
        if group is not None:
            group.permissions.add(*role_permissions(name).using(using))
