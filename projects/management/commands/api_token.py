"""manage.py api_token create --region 410802 --name 焦作市发改委平台 | list | revoke PREFIX:
the API's tokens for superiors' systems (see docs/api.md)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from projects.models import ApiToken, Profile, Region


class Command(BaseCommand):
    help = (
        "Create, list or revoke the API tokens of client systems. `create` makes a read-only "
        "account of the region (role observer) for the system, or uses --user, and prints the "
        "token once."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a new token (printed once)")
        create.add_argument(
            "--name", required=True, help="the client system, e.g. 焦作市发改委平台"
        )
        where = create.add_mutually_exclusive_group(required=True)
        where.add_argument("--region", help="administrative code of the region it reads")
        where.add_argument("--user", help="an existing account it reads as")
        actions.add_parser("list", help="every token, with its last use")
        revoke = actions.add_parser("revoke", help="revoke a token by the first characters shown")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        getattr(self, action)(**options)

    @transaction.atomic
    def create(self, name, region=None, user=None, **options):
        User = get_user_model()
        if user:
            account = User.objects.filter(username=user).first()
            if account is None:
                raise CommandError(_("There is no account %(user)s.") % {"user": user})
        else:
            place = Region.objects.filter(code=region).first()
            if place is None:
                raise CommandError(
                    _("There is no region with the code %(code)s.") % {"code": region}
                )
            serial = User.objects.filter(username__startswith=f"api-{place.code}-").count() + 1
            account = User.objects.create_user(
                f"api-{place.code}-{serial}", first_name=name[:150], password=None
            )
            account.groups.add(Group.objects.get(name="observer"))
            Profile.objects.create(user=account, region=place)
        token, key = ApiToken.objects.create_token(account, name)
        self.stdout.write(
            _("Token of %(name)s (account %(user)s): %(key)s — copy it now: it is not shown again.")
            % {"name": name, "user": account.username, "key": key}
        )

    def list(self, **options):
        for token in ApiToken.objects.select_related("user"):
            state = _("revoked") if token.revoked_at else _("active")
            used = token.last_used_at.isoformat() if token.last_used_at else "—"
            self.stdout.write(f"{token.key_prefix}  {token.name}  {token.user}  {state}  {used}")

    def revoke(self, prefix, **options):
        count = (
            ApiToken.objects.active().filter(key_prefix=prefix).update(revoked_at=timezone.now())
        )
        if not count:
            raise CommandError(_("No active token begins with %(prefix)s.") % {"prefix": prefix})
        self.stdout.write(_("%(count)s token(s) revoked.") % {"count": count})
