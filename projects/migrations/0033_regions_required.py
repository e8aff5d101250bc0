"""Every region-bound row required to name its region; names unique within a region."""

import django.db.models.deletion
from django.db import migrations, models

import projects.models.regions


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0032_single_region"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="meeting",
            name="meeting_unique_number",
        ),
        migrations.AlterField(
            model_name="unit",
            name="name",
            field=models.CharField(max_length=100, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="zone",
            name="name",
            field=models.CharField(max_length=50, verbose_name="name"),
        ),
        migrations.AlterField(
            model_name="meeting",
            name="region",
            field=models.ForeignKey(
                blank=True,
                default=projects.models.regions.default_region,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="official",
            name="region",
            field=models.ForeignKey(
                blank=True,
                default=projects.models.regions.default_region,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="officials",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="project",
            name="region",
            field=models.ForeignKey(
                blank=True,
                default=projects.models.regions.default_region,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="unit",
            name="region",
            field=models.ForeignKey(
                blank=True,
                default=projects.models.regions.default_region,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AlterField(
            model_name="zone",
            name="region",
            field=models.ForeignKey(
                blank=True,
                default=projects.models.regions.default_region,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="zones",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AddConstraint(
            model_name="meeting",
            constraint=models.UniqueConstraint(
                fields=("region", "year", "number"),
                name="meeting_unique_number",
                violation_error_message="A meeting with this number already exists that year.",
            ),
        ),
        migrations.AddConstraint(
            model_name="unit",
            constraint=models.UniqueConstraint(
                fields=("region", "name"),
                name="unit_unique_name",
                violation_error_message="The region already has a unit of this name.",
            ),
        ),
        migrations.AddConstraint(
            model_name="zone",
            constraint=models.UniqueConstraint(
                fields=("region", "name"),
                name="zone_unique_name",
                violation_error_message="The region already has a zone of this name.",
            ),
        ),
        migrations.AlterField(
            model_name="historicalproject",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                default=projects.models.regions.default_region,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="projects.region",
                verbose_name="region",
            ),
        ),
    ]
