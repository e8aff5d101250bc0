"""One scope for every query: `queryset.restrict(user, action)` is what `user` may see
('view') or change ('change') of any model that belongs to a region.

A role acts in its region and every region beneath it (the region's path is a prefix of the
row's region path). Within that, the roles narrow further:

- a project: the office and the readers see the region's register; a lead official or a
  liaison changes (reports on) only the projects they lead or are named on;
- a problem: the roles that read the register see all of it, a unit contact only their own
  units' problems; the office changes (answers) every one, a lead or liaison their projects',
  a unit contact their units'.

Pages, forms, filters, tables, exports, documents, notifications and counts all start from
`Model.objects.restrict(user)`, so that no page can show a sibling district's row. The module
reads the models through the app registry: the querysets below the models use it.
"""

from django.apps import apps
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from projects.permissions import is_office

# Where each model finds its region (the models not named here have no region).
REGION = {
    "region": "",
    "profile": "region",
    "zone": "region",
    "unit": "region",
    "official": "region",
    "project": "region",
    "meeting": "region",
    "monthlock": "region",
    "regionsubmission": "region",
    "documenttemplate": "region",
    "documentnumber": "region",
    "annualplan": "project__region",
    "monthlyplan": "annual_plan__project__region",
    "milestone": "project__region",
    "monthlyreport": "project__region",
    "reportphoto": "report__project__region",
    "problem": "project__region",
    "problemupdate": "problem__project__region",
    "projectprogress": "project__region",
    "projectlevel": "project__region",
    "scorerule": "region",
    "statsfigure": "project__region",
    "factorneed": "project__region",
    "fundingsource": "project__region",
    "stagechange": "project__region",
    "starttarget": "region",
}


def region_of(user):
    """The region `user` acts in: their profile's, else the single district (None when the
    instance has several districts and the account has no profile). Cached on the user."""
    if not hasattr(user, "_jiefang_region"):
        Region = apps.get_model("projects", "Region")
        Profile = apps.get_model("projects", "Profile")
        # One query: the profile's region first, else up to two districts (one: the single).
        mine = Exists(Profile.objects.filter(user_id=user.pk, region=OuterRef("pk")))
        found = list(
            Region.objects.annotate(mine=mine)
            .filter(Q(mine=True) | Q(kind=Region.Kind.DISTRICT))
            .order_by("-mine", "pk")[:2]
        )
        if found and found[0].mine:
            region = found[0]
        elif user.is_superuser:
            region = None
        elif not found:
            region = Region.objects.single_district()  # no region at all: the default one
        else:
            region = found[0] if len(found) == 1 else None
        user._jiefang_region = region
    return user._jiefang_region


def heading_region(user=None):
    """The region whose names head what `user` prints or downloads (名称, 填报单位): their
    own; the single district (or the top of the tree) for an account above every region."""
    region = region_of(user) if user is not None else None
    return region or apps.get_model("projects", "Region").objects.heading()


def in_region(model, region):
    """The condition on `model`'s rows of `region` and every region beneath it. A district
    has none beneath it: its rows are those of its id, a condition PostgreSQL estimates from
    the column's statistics (from a path's LIKE through a join with the regions it guessed
    one region's average share, and planned a district of 100,000 projects as one of 600:
    nested loops where a hash join was 40% faster), and the join with the regions goes."""
    lookup = REGION[model._meta.model_name]
    if lookup and region.kind == region.Kind.DISTRICT:
        return Q(**{lookup: region})
    return Q(**{f"{lookup}__path__startswith" if lookup else "path__startswith": region.path})


def role_filter(model, user, action):
    """The condition of the role within the region (None: no further limit)."""
    name = model._meta.model_name
    if name == "project" and action == "change" and not is_office(user):
        if not user.has_perm("projects.add_monthlyreport"):
            return Q(pk__in=[])
        return Q(pk__in=model.objects.filter(reportable_filter(user)).values("pk"))
    if name == "problem" and action == "view" and not user.has_perm("projects.view_project"):
        if not user.has_perm("projects.view_problem"):
            return Q(pk__in=[])
        return Q(pk__in=model.objects.filter(responsible_unit__contacts=user).values("pk"))
    if name == "problem" and action == "change" and not is_office(user):
        if not user.has_perm("projects.add_problemupdate"):
            return Q(pk__in=[])
        return Q(pk__in=model.objects.filter(answerable_filter(user)).values("pk"))
    return None


def reportable_filter(user):
    """Projects the user leads (through Official.user) or is a named liaison of."""
    return Q(lead_official__user=user) | Q(liaisons=user)


def answerable_filter(user):
    """Problems a user answers for: their units' (as contact) and their projects' (as lead
    official or liaison)."""
    return (
        Q(responsible_unit__contacts=user)
        | Q(project__lead_official__user=user)
        | Q(project__liaisons=user)
    )


def restrict(queryset, user, action="view", region=None):
    """The rows of `queryset` that `user` may `action` ('view' or 'change'); of `region`
    (one of `user`'s, from `chosen_region`) instead of all of the user's when given."""
    if user is None or not user.is_authenticated:
        return queryset.none()
    role = role_filter(queryset.model, user, action)
    if role is not None:
        queryset = queryset.filter(role)
    region = region or region_of(user)
    if region is None:
        return queryset if user.is_superuser else queryset.none()
    return queryset.in_region(region)


class RestrictedQuerySet(models.QuerySet):
    """A queryset with `restrict(user, action)` (as NetBox's RestrictedQuerySet).

    A queryset that is every row of a region (restricted, then only annotated or ordered)
    remembers the region, so that totals are read from the progress table's totals of the
    region's zones rather than added up over the rows."""

    _scope_region = None

    def restrict(self, user, action="view", region=None):
        return restrict(self, user, action, region)

    def in_region(self, region):
        """The rows of `region` and every region beneath it (an output made for a region)."""
        whole = not self.query.where
        queryset = self.filter(in_region(self.model, region))
        if whole:
            queryset._scope_region = region
        return queryset

    def of_projects(self, projects):
        """The rows of these projects (a Project queryset, restricted or not): of the same
        region when the projects are a region's register, every row when they are all."""
        if projects._scope_region is not None:
            return self.in_region(projects._scope_region)
        if not projects.query.where:
            return self
        lookup = REGION[self.model._meta.model_name].removesuffix("region").removesuffix("__")
        return self.filter(**{f"{lookup}__in" if lookup else "pk__in": projects.values("pk")})

    def _clone(self):
        clone = super()._clone()
        clone._scope_region = self._scope_region
        return clone

    def _filter_or_exclude(self, negate, args, kwargs):
        clone = super()._filter_or_exclude(negate, args, kwargs)
        clone._scope_region = None
        return clone


def restrict_choices(fields, user):
    """Every choice of these form fields or filters (a form's `fields`, a filterset's
    `filters`) that comes from rows of a region, as `user` may see them."""
    for field in fields.values():
        queryset = getattr(field, "queryset", None)
        if isinstance(queryset, RestrictedQuerySet):
            field.queryset = queryset.restrict(user)


def acting_over(users, region):
    """Of `users` (a User queryset), the accounts acting in `region` or a region above it:
    a district's office hears of its district's problems, never of a sibling's. With a
    single district, an account without a profile acts in it."""
    condition = Q(profile__region__path__in=region.path_prefixes())
    if apps.get_model("projects", "Region").objects.single_district() is not None:
        condition |= Q(profile__isnull=True)
    return users.filter(condition)


def accounts_beneath(users, region):
    """Of `users` (a User queryset), the accounts acting in `region` or a region beneath it
    (with a single district, the accounts without a profile too): those its office looks
    after."""
    condition = Q(profile__region__path__startswith=region.path)
    if apps.get_model("projects", "Region").objects.single_district() is not None:
        condition |= Q(profile__isnull=True)
    return users.filter(condition)


def chosen_region(request):
    """The region a page is asked about (?region=<code>): one of the user's regions, 404
    beyond them; None when none is asked for (the user's own)."""
    code = request.GET.get("region", "")
    if not code:
        return None
    regions = apps.get_model("projects", "Region").objects.restrict(request.user)
    region = regions.filter(code=code).first()
    if region is None:
        raise Http404(_("No such region."))
    return region
