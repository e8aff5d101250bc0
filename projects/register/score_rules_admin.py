"""考核办法 in the admin: the office's score rules, of its region and beneath."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from projects.models import ScoreRule
from projects.scoring.forms import ScoreRuleForm
from projects.scoring.measures import label_of

from .admin import RegionScopedAdmin


@admin.register(ScoreRule)
class ScoreRuleAdmin(RegionScopedAdmin, SimpleHistoryAdmin):
    """考核办法: the office sets each measure's weight from a date on."""

    form = ScoreRuleForm
    list_display = ["valid_from", "period", "measure_label", "weight", "region"]
    list_filter = ["period", "valid_from"]
    list_select_related = ["region"]
    fields = ["region", "period", "valid_from", "measure", "weight"]

    @admin.display(description=_("measure"), ordering="measure")
    def measure_label(self, obj):
        return label_of(obj.measure)
