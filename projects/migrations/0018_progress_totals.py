# Hand-written: the months held are forgotten first, so the new columns of the table's rows
# need no value for old rows (each month is built again, with its totals, when read).

import django.db.models.deletion
import django.db.models.functions.comparison
from django.db import migrations, models


def forget_every_month(apps, schema_editor):
    apps.get_model("projects", "ProjectProgress").objects.all().delete()
    apps.get_model("projects", "ProgressPeriod").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("projects", "0017_progress_month_totals"),
    ]

    operations = [
        migrations.RunPython(forget_every_month, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="progressperiod",
            name="completed",
        ),
        migrations.AddField(
            model_name="projectprogress",
            name="zone",
            field=models.ForeignKey(
                db_index=False,
                default=0,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.zone",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="projectprogress",
            name="lead_official",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="projects.official",
            ),
        ),
        migrations.AddField(
            model_name="projectprogress",
            name="total_investment",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="projectprogress",
            name="report_missing",
            field=models.BooleanField(default=False),
            preserve_default=False,
        ),
        migrations.CreateModel(
            name="ProgressTotal",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField()),
                ("month", models.PositiveSmallIntegerField()),
                ("projects", models.IntegerField(default=0)),
                ("total_investment", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("annual_plan", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("month_amount", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("ytd", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("cumulative", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("planned_to_date", models.DecimalField(decimal_places=2, default=0, max_digits=18)),
                ("lights_none", models.IntegerField(default=0)),
                ("lights_green", models.IntegerField(default=0)),
                ("lights_yellow", models.IntegerField(default=0)),
                ("lights_red", models.IntegerField(default=0)),
                ("missing_reports", models.IntegerField(default=0)),
                (
                    "lead_official",
                    models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="projects.official",
                    ),
                ),
                (
                    "zone",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="projects.zone",
                    ),
                ),
            ],
            options={
                "verbose_name": "progress total",
                "verbose_name_plural": "progress totals",
                "constraints": [
                    models.UniqueConstraint(
                        models.F("year"),
                        models.F("month"),
                        models.F("zone"),
                        django.db.models.functions.comparison.Coalesce("lead_official", 0),
                        name="progresstotal_unique_group",
                        violation_error_message="The progress table already holds this group's total.",
                    )
                ],
            },
        ),
    ]
