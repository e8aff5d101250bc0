"""The leads of the levels above the district on a project's admin page (市重点's 挂点领导 and
responsible unit): set by the office of the city or province, read by the district's."""

from django.contrib import admin

from projects.models import ProjectLevel, Region
from projects.scope import region_of, restrict_choices


class ProjectLevelInline(admin.TabularInline):
    model = ProjectLevel
    extra = 0
    fields = ["level", "lead_official", "responsible_unit"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None:
            restrict_choices({db_field.name: field}, request.user)
        return field

    @staticmethod
    def sets_levels(request):
        """The office of a city or province (or a superuser) names the level's people; a
        district's office sees them and cannot choose among people it cannot see."""
        region = region_of(request.user)
        if request.user.is_superuser:
            return True
        return region is not None and region.kind != Region.Kind.DISTRICT

    def has_add_permission(self, request, obj=None):
        return self.sets_levels(request) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self.sets_levels(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.sets_levels(request) and super().has_delete_permission(request, obj)
