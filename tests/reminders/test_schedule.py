"""The schedule over a month, travelling in time across 国庆节 2025 and its 调休 Saturday.

Reports for September 2025 are due on the 3rd working day of October: 1–8 October are
holidays, so that is Saturday 11 October, a working day in lieu (调休). Reporters hear two
working days before (Thursday 9 October); the lead official the working day after (Monday
13 October). The problem due on Tuesday 14 October is announced three working days ahead,
then escalates a level a week once overdue.
"""

import datetime
import io
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from projects.models import Escalation, Notification, ReminderItem
from projects.progress.period import Period
from projects.reminders.deadlines import late_from, reminder_date

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
Kind = ReminderItem.Kind


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def run_on(day, hour=8):
    """`manage.py send_reminders` with the clock at `hour` o'clock that day in Shanghai."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        call_command("send_reminders", stdout=io.StringIO())


def received(user):
    """{date: [(kind, text)]} of the user's digests."""
    return {
        notification.date: [(item.kind, item.text) for item in notification.items.all()]
        for notification in Notification.objects.filter(recipient=user).order_by("date")
    }


def test_september_reports_are_due_on_the_adjusted_working_saturday():
    period = Period(2025, 9)
    assert period.due_date == datetime.date(2025, 10, 11)  # 调休: a Saturday that is worked
    assert reminder_date(period) == datetime.date(2025, 10, 9)  # the first day back
    assert late_from(period) == datetime.date(2025, 10, 13)  # Sunday the 12th is a rest day


def test_an_ordinary_month_and_the_office_setting(settings):
    assert Period(2025, 10).due_date == datetime.date(2025, 11, 5)  # Mon 3, Tue 4, Wed 5
    settings.JIEFANG_REPORT_DUE_WORKDAY = 5
    assert Period(2025, 10).due_date == datetime.date(2025, 11, 7)


def test_beyond_the_holiday_calendar_weekdays_are_working_days():
    """chinese-calendar covers the years the State Council has published; the schedule goes
    on past them counting Monday to Friday less 元旦, 劳动节 and 国庆 (2027 is not yet out)."""
    assert Period(2026, 12).due_date == datetime.date(2027, 1, 6)  # Fri 1 is 元旦: 4, 5, 6
    assert Period(2027, 9).due_date == datetime.date(2027, 10, 6)  # Mon 4, Tue 5, Wed 6


def test_a_month_of_reminders_around_national_day(world):
    for day in days(datetime.date(2025, 9, 26), datetime.date(2025, 10, 31)):
        run_on(day)
        before = (Notification.objects.count(), ReminderItem.objects.count())
        run_on(day, hour=15)  # the timer fires again later that day: nothing new
        assert (Notification.objects.count(), ReminderItem.objects.count()) == before, day

    liaison = received(world.liaison)
    # Nothing during the holiday; one digest on the first working day back; never again.
    assert list(liaison) == [datetime.date(2025, 10, 9)]
    ((kind, text),) = liaison[datetime.date(2025, 10, 9)]
    assert kind == Kind.REPORT_DUE
    assert "JF-001 翰林国际旅游度假区" in text and "2025年10月11日（星期六）" in text
    assert "唐人中心" not in text  # reported on time: not chased

    lead = received(world.lead)
    assert [kind for kind, _text in lead[datetime.date(2025, 10, 9)]] == [Kind.REPORT_DUE]
    # The problem due on the 14th: three working days ahead (10th: 11th, 13th, 14th).
    assert [kind for kind, _text in lead[datetime.date(2025, 10, 10)]] == [Kind.PROBLEM_DUE]
    # The working day after the due date: the lead hears the liaison is late.
    ((kind, text),) = lead[datetime.date(2025, 10, 13)]
    assert kind == Kind.REPORT_LATE and "小李" in text and "逾期2天" in text
    # Overdue from the 15th; 催办 a week later; 督办 two weeks later.
    assert "【提醒】" in lead[datetime.date(2025, 10, 15)][0][1]
    assert "【催办】" in lead[datetime.date(2025, 10, 21)][0][1]
    assert "【督办】" in lead[datetime.date(2025, 10, 28)][0][1]
    assert set(lead) == {datetime.date(2025, 10, d) for d in (9, 10, 13, 15, 21, 28)}

    # Both contacts of the unit hear of the problem on the same days; the office only at 督办.
    for contact in (world.contact, world.contact2):
        assert set(received(contact)) == {datetime.date(2025, 10, d) for d in (10, 15, 21, 28)}
    assert set(received(world.office)) == {datetime.date(2025, 10, 28)}


def test_one_digest_a_person_a_day_lists_everything_due(world):
    """On a day when two reminders fall for the lead, they come in one digest."""
    world.problem.deadline = datetime.date(2025, 10, 13)
    world.problem.save()
    run_on(datetime.date(2025, 10, 9))
    (digest,) = Notification.objects.filter(recipient=world.lead)
    assert sorted(digest.items.values_list("kind", flat=True)) == [
        Kind.PROBLEM_DUE,
        Kind.REPORT_DUE,
    ]
    assert "【月报即将到期】" in digest.body and "【问题临近期限】" in digest.body


def test_a_reminder_found_after_the_days_digest_waits_for_tomorrow(world):
    run_on(datetime.date(2025, 10, 9))
    world.problem.deadline = datetime.date(2025, 10, 10)  # moved earlier the same afternoon
    world.problem.save()
    run_on(datetime.date(2025, 10, 9), hour=16)
    assert Notification.objects.filter(recipient=world.lead).count() == 1
    run_on(datetime.date(2025, 10, 10))
    assert [kind for kind, _text in received(world.lead)[datetime.date(2025, 10, 10)]] == [
        Kind.PROBLEM_DUE
    ]


def test_a_report_that_comes_in_stops_the_reminders(world):
    run_on(datetime.date(2025, 10, 9))
    from tests.conftest import report

    report(world.late, 2025, 9, "80")
    run_on(datetime.date(2025, 10, 13))
    assert Kind.REPORT_LATE not in dict(received(world.lead)[datetime.date(2025, 10, 13)])


def test_a_closed_problem_is_not_escalated(world):
    run_on(datetime.date(2025, 10, 15))
    world.problem.status = world.problem.Status.CLOSED
    world.problem.closing_note = "已协调安置场地"
    world.problem.closed_at = datetime.datetime(2025, 10, 16, 10, tzinfo=SHANGHAI)
    world.problem.save()
    run_on(datetime.date(2025, 10, 21))
    assert datetime.date(2025, 10, 21) not in received(world.contact)


def test_a_moved_deadline_starts_the_escalation_again(world):
    run_on(datetime.date(2025, 10, 28))
    problems = world.problem.__class__.objects
    assert problems.with_overdue(datetime.date(2025, 10, 28)).get().escalation == (
        Escalation.SUPERVISE
    )
    world.problem.deadline = datetime.date(2025, 10, 29)
    world.problem.save()
    run_on(datetime.date(2025, 10, 30))
    assert "【提醒】" in received(world.contact)[datetime.date(2025, 10, 30)][0][1]
