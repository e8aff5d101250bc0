"""报送 and 退回: a district's month submitted to the level above (with history); a month lock
belongs to a region; the notifications of the three steps."""

import django.db.models.deletion
import django.utils.timezone
import projects.models.regions
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('projects', '0033_regions_required'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRegionSubmission',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('month', models.PositiveSmallIntegerField(verbose_name='month')),
                ('state', models.CharField(choices=[('submitted', 'Sent up'), ('accepted', 'Accepted'), ('returned', 'Returned')], default='submitted', max_length=10, verbose_name='state')),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
            ],
            options={
                'verbose_name': 'historical submission',
                'verbose_name_plural': 'historical submissions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='RegionSubmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('month', models.PositiveSmallIntegerField(verbose_name='month')),
                ('state', models.CharField(choices=[('submitted', 'Sent up'), ('accepted', 'Accepted'), ('returned', 'Returned')], default='submitted', max_length=10, verbose_name='state')),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted at')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
            ],
            options={
                'verbose_name': 'submission',
                'verbose_name_plural': 'submissions',
                'ordering': ['-year', '-month', 'region__path'],
            },
        ),
        migrations.RemoveConstraint(
            model_name='monthlock',
            name='monthlock_unique_month',
        ),
        migrations.AddField(
            model_name='monthlock',
            name='region',
            field=models.ForeignKey(blank=True, default=projects.models.regions.default_region, on_delete=django.db.models.deletion.PROTECT, related_name='month_locks', to='projects.region', verbose_name='region'),
        ),
        migrations.AlterField(
            model_name='reminderitem',
            name='kind',
            field=models.CharField(choices=[('report_due', 'Report due'), ('report_late', 'Report late'), ('problem_due', 'Problem deadline near'), ('problem_overdue', 'Problem overdue'), ('chase', 'Reminder from the project office'), ('closure_requested', 'Closure requested'), ('closure_returned', 'Request for closure sent back'), ('problem_closed', 'Problem closed'), ('month_submitted', 'Month submitted'), ('month_accepted', 'Month accepted'), ('month_returned', 'Month returned')], max_length=20, verbose_name='kind'),
        ),
        migrations.AddConstraint(
            model_name='monthlock',
            constraint=models.UniqueConstraint(fields=('region', 'year', 'month'), name='monthlock_unique_month', violation_error_message='That month is already locked.'),
        ),
        migrations.AddField(
            model_name='historicalregionsubmission',
            name='decided_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AddField(
            model_name='historicalregionsubmission',
            name='history_user',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='historicalregionsubmission',
            name='region',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='projects.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='historicalregionsubmission',
            name='submitted_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        migrations.AddField(
            model_name='regionsubmission',
            name='decided_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='decided by'),
        ),
        migrations.AddField(
            model_name='regionsubmission',
            name='region',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='submissions', to='projects.region', verbose_name='region'),
        ),
        migrations.AddField(
            model_name='regionsubmission',
            name='submitted_by',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by'),
        ),
        migrations.AddConstraint(
            model_name='regionsubmission',
            constraint=models.UniqueConstraint(fields=('region', 'year', 'month'), name='regionsubmission_unique_month', violation_error_message='This month of the region is already submitted.'),
        ),
    ]
