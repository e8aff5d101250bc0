"""An existing register becomes one district under its city: every zone, unit, official,
project and meeting in it, and every account acting in it."""

from django.conf import settings
from django.db import migrations

REGION_BOUND = ["Zone", "Unit", "Official", "Project", "Meeting"]


def into_one_district(apps, schema_editor):
    Region = apps.get_model("projects", "Region")
    Profile = apps.get_model("projects", "Profile")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    city, _ = Region.objects.get_or_create(
        code="410800", defaults={"name": "焦作市", "kind": "city", "path": "410800/"}
    )
    district, _ = Region.objects.get_or_create(
        code="410802",
        defaults={
            "name": settings.JIEFANG_DISTRICT,
            "kind": "district",
            "parent": city,
            "path": "410800/410802/",
            "reporting_unit": settings.JIEFANG_REPORTING_UNIT,
        },
    )
    for name in REGION_BOUND:
        apps.get_model("projects", name).objects.filter(region__isnull=True).update(region=district)
    apps.get_model("projects", "HistoricalProject").objects.filter(region__isnull=True).update(
        region=district
    )
    Profile.objects.bulk_create(
        Profile(user=user, region=district) for user in User.objects.filter(profile__isnull=True)
    )


def back_to_no_region(apps, schema_editor):
    """The rows keep working without regions: the previous migration drops the columns."""
    for name in REGION_BOUND:
        apps.get_model("projects", name).objects.update(region=None)
    apps.get_model("projects", "Profile").objects.all().delete()
    for region in apps.get_model("projects", "Region").objects.order_by("-path"):
        region.delete()  # children before their parent


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0031_regions"),
    ]

    operations = [migrations.RunPython(into_one_district, back_to_no_region)]
