"""Create the three roles as groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
]

ROLES = {
    "project_office": [f"{action}_{model}" for model in MODELS for action in
                       ("view", "add", "change", "delete")],
    "lead_official": [f"view_{model}" for model in MODELS]
    + ["add_monthlyreport", "change_monthlyreport", "change_milestone"],
    "observer": [f"view_{model}" for model in MODELS],
}


def create_roles(apps, schema_editor):
    app_config = apps.get_app_config("projects")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="projects", codename__in=codenames)
        )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
