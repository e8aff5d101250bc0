"""What `bench --commands` times: the nightly commands, in seconds per 10,000 projects, and
the page an office opens after them, its 通知 (the day's digests), as a page of the bench.

They write (send_reminders records what it sent, so a second pass of the same day sends
nothing): run them on a copy of the database made for benchmarking, as seed_scale's."""

import datetime
import time
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse


class CommandBench:
    def bench_commands(self, period, count):
        """Time refresh_progress (a plain nightly run) and send_reminders on a day when the
        month after `period` is due and none of its reports is in (every reporter chased,
        every problem past its deadline at 督办); then the 通知 page of the user who got the
        most notifications, as a page row (name, url, client), or None."""
        following = period.shifted(1)
        day = following.due_date + datetime.timedelta(days=3)
        per = 10_000 / count
        for name, args in (
            ("refresh_progress", []),
            ("send_reminders", ["--date", day.isoformat()]),
        ):
            start = time.perf_counter()
            call_command(name, *args, stdout=StringIO(), stderr=StringIO())
            seconds = time.perf_counter() - start
            self.stdout.write(
                f"{name} {' '.join(args)}: {seconds:.1f} s, {seconds * per:.2f} s per 10,000 projects"
            )
        reader = (
            get_user_model()
            .objects.annotate(n=Count("notifications"))
            .filter(n__gt=0)
            .order_by("-n")
            .first()
        )
        if reader is None:
            return None
        client = Client()
        client.force_login(reader)
        self.stdout.write(f"notifications: {reader.username} has {reader.n}\n")
        return ("notifications after reminders", reverse("projects:notification_list"), client)
