# Hand-written: the months held are forgotten first, so the new columns need no value for old
# rows (each month is built again, with its totals, when read).

from django.db import migrations, models


def forget_every_month(apps, schema_editor):
    apps.get_model("projects", "ProjectProgress").objects.all().delete()
    apps.get_model("projects", "ProgressTotal").objects.all().delete()
    apps.get_model("projects", "ProgressPeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0036_api_tokens"),
    ]

    operations = [
        migrations.RunPython(forget_every_month, migrations.RunPython.noop),
        migrations.AddField(
            model_name="projectprogress",
            name="report_expected",
            field=models.BooleanField(default=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="projectprogress",
            name="report_on_time",
            field=models.BooleanField(default=False),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="progresstotal",
            name="reports_expected",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="progresstotal",
            name="reports_on_time",
            field=models.IntegerField(default=0),
        ),
    ]
