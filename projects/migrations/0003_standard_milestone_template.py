"""A standard milestone template for reverse scheduling (倒排工期)."""

from django.db import migrations

NAME = "标准建设项目"
ITEMS = [
    ("征迁完成", 0),
    ("取得施工许可", 60),
    ("开工", 30),
    ("主体封顶", 300),
    ("竣工验收", 180),
]


def create_template(apps, schema_editor):
    Template = apps.get_model("projects", "MilestoneTemplate")
    Item = apps.get_model("projects", "MilestoneTemplateItem")
    template, created = Template.objects.get_or_create(name=NAME)
    if created:
        Item.objects.bulk_create(
            Item(template=template, name=name, order=order, duration_days=days)
            for order, (name, days) in enumerate(ITEMS, start=1)
        )


def remove_template(apps, schema_editor):
    apps.get_model("projects", "MilestoneTemplate").objects.filter(name=NAME).delete()


class Migration(migrations.Migration):
    dependencies = [("projects", "0002_roles")]

    operations = [migrations.RunPython(create_template, remove_template)]
