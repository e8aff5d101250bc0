"""Regions (province, city, district), the account profile, and a region on every zone,
unit, official, project and meeting (empty until the next migration fills it)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import projects.models.regions
import projects.models.register


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0030_meeting_snapshots"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Profile",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
            ],
            options={
                "verbose_name": "profile",
                "verbose_name_plural": "profiles",
            },
        ),
        migrations.CreateModel(
            name="Region",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", models.CharField(max_length=50, verbose_name="name")),
                (
                    "code",
                    models.CharField(
                        max_length=6,
                        unique=True,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^[0-9]{6}$", "The code has six digits, like 410802."
                            )
                        ],
                        verbose_name="administrative code",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("province", "Province"),
                            ("city", "City"),
                            ("district", "District"),
                        ],
                        default="district",
                        max_length=10,
                        verbose_name="kind",
                    ),
                ),
                (
                    "path",
                    models.CharField(
                        db_index=True, editable=False, max_length=100, verbose_name="path"
                    ),
                ),
                (
                    "reporting_unit",
                    models.CharField(
                        blank=True,
                        help_text="The office named as 填报单位 on exports; the region's name when blank.",
                        max_length=100,
                        verbose_name="reporting unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "region",
                "verbose_name_plural": "regions",
                "ordering": ["path"],
            },
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="levels",
            field=models.CharField(
                blank=True,
                default="district",
                help_text="区重点, 市重点, 省重点: one or several, as district,city,province.",
                max_length=40,
                validators=[projects.models.register.validate_levels],
                verbose_name="levels",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="levels",
            field=models.CharField(
                blank=True,
                default="district",
                help_text="区重点, 市重点, 省重点: one or several, as district,city,province.",
                max_length=40,
                validators=[projects.models.register.validate_levels],
                verbose_name="levels",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="profile",
                to=settings.AUTH_USER_MODEL,
                verbose_name="account",
            ),
        ),
        migrations.AddField(
            model_name="region",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="children",
                to="projects.region",
                verbose_name="parent region",
            ),
        ),
        migrations.AddField(
            model_name="profile",
            name="region",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="profiles",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="historicalproject",
            name="region",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="meeting",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="meetings",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="official",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="officials",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="project",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="unit",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="units",
                to="projects.region",
                verbose_name="region",
            ),
        ),
        migrations.AddField(
            model_name="zone",
            name="region",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="zones",
                to="projects.region",
                verbose_name="region",
            ),
        ),
    ]
