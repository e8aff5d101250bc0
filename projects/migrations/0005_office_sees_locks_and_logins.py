"""The office manages month locks and reads the login records (django-axes)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICE = {
    "projects": [f"{a}_monthlock" for a in ("view", "add", "change", "delete")],
    "axes": ["view_accessattempt", "delete_accessattempt", "view_accesslog",
             "view_accessfailurelog"],
}
READERS = {"projects": ["view_monthlock"]}


def grant(apps, schema_editor):
    for label in ("projects", "axes"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_names, grants in (
        (["project_office"], OFFICE),
        (["lead_official", "observer"], READERS),
    ):
        for name in group_names:
            group = Group.objects.get(name=name)
            for label, codenames in grants.items():
                group.permissions.add(
                    *Permission.objects.filter(
                        content_type__app_label=label, codename__in=codenames
                    )
                )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [c for grants in (OFFICE, READERS) for cs in grants.values() for c in cs]
    for group in Group.objects.filter(name__in=["project_office", "lead_official", "observer"]):
        group.permissions.remove(*Permission.objects.filter(codename__in=codenames))


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_versions_history_locks"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
