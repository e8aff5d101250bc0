import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0046_project_stages"),
    ]

    operations = [
        migrations.CreateModel(
            name="StartTarget",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "year",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(2000),
                            django.core.validators.MaxValueValidator(2100),
                        ],
                        verbose_name="year",
                    ),
                ),
                (
                    "quarter",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(4),
                        ],
                        verbose_name="quarter",
                    ),
                ),
                (
                    "start_rate",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="start rate target (%)",
                    ),
                ),
                (
                    "completion_rate",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=5,
                        validators=[
                            django.core.validators.MinValueValidator(0),
                            django.core.validators.MaxValueValidator(100),
                        ],
                        verbose_name="completion rate target (%)",
                    ),
                ),
                (
                    "region",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="start_targets",
                        to="projects.region",
                        verbose_name="region",
                    ),
                ),
            ],
            options={
                "verbose_name": "start and completion target",
                "verbose_name_plural": "start and completion targets",
                "ordering": ["region", "year", "quarter"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("region", "year", "quarter"),
                        name="starttarget_unique_quarter",
                        violation_error_message="The region already has a target for this quarter.",
                    )
                ],
            },
        ),
    ]
