"""The numbers of the documents an office issues (发文字号): 督办单, 会议纪要 and 月度通报,
each numbered from 1 within its region, kind and year, in the order first issued (山阳区's
first 通报 is its 1号 whatever 解放区 has issued). A document keeps its number when it is
printed again."""

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DocumentNumber(models.Model):
    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("Supervision notice")
        MINUTES = "minutes", _("Meeting minutes")
        BULLETIN = "bulletin", _("Monthly bulletin")

    region = models.ForeignKey(
        "projects.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="document_numbers",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    year = models.PositiveSmallIntegerField(_("year"))
    serial = models.PositiveIntegerField(_("number"))
    # What the number was issued for: "problem:12", "meeting:3", "bulletin:2026-11".
    key = models.CharField(_("document"), max_length=60)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["region", "kind", "year", "serial"]
        verbose_name = _("document number")
        verbose_name_plural = _("document numbers")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "kind", "year", "serial"],
                name="document_serial",
                violation_error_message=_("This number is already issued this year."),
            ),
            models.UniqueConstraint(
                fields=["region", "kind", "key"],
                name="document_number_once",
                violation_error_message=_("This document already has a number."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.year}-{self.serial}"

    @classmethod
    def issue(cls, region, kind, key, year=None):
        """The number of `region`'s document `key` of `kind`: the one it was given when first
        issued, or the region's next of `year` (this year by default). Safe under concurrent
        first issues."""
        mine = cls.objects.filter(region=region, kind=kind)
        for _attempt in range(5):
            existing = mine.filter(key=key).first()
            if existing is not None:
                return existing
            year = year or timezone.localdate().year
            last = (
                mine.filter(year=year).order_by("-serial").values_list("serial", flat=True).first()
            )
            try:
                with transaction.atomic():
                    return cls.objects.create(
                        region=region, kind=kind, key=key, year=year, serial=(last or 0) + 1
                    )
            except IntegrityError:
                continue  # another request took that serial (or issued this key) first
        raise IntegrityError("no document number could be issued")
