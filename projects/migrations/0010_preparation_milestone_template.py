"""The standard set of pre-construction approvals (前期手续), applied like any template."""

from django.db import migrations

NAME = "前期手续(标准)"
ITEMS = [
    ("立项(备案/核准/审批)", 0),
    ("用地预审/土地证", 30),
    ("规划许可", 30),
    ("环评批复", 20),
    ("施工许可", 30),
]


def create_template(apps, schema_editor):
    Template = apps.get_model("projects", "MilestoneTemplate")
    Item = apps.get_model("projects", "MilestoneTemplateItem")
    template, created = Template.objects.get_or_create(
        name=NAME, defaults={"kind": "preparation"}
    )
    if created:
        Item.objects.bulk_create(
            Item(template=template, name=name, order=order, duration_days=days)
            for order, (name, days) in enumerate(ITEMS, start=1)
        )


def remove_template(apps, schema_editor):
    apps.get_model("projects", "MilestoneTemplate").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0009_monthly_plans_preparation_national_code")]

    operations = [migrations.RunPython(create_template, remove_template)]
