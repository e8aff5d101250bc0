"""The problem's steps are actions (projects.supervision.actions): each checks the right
through the scope itself, saves the problem once and records the step once, whichever page,
admin or command calls it."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied

from projects.meetings import actions as meeting_actions
from projects.models import MonthLock, Problem, ProblemUpdate, Region
from projects.supervision import actions

pytestmark = pytest.mark.django_db

MINE = "商户过渡安置场地不足"  # 焦北街道办事处's, on 陈立新's JF2013-003
OTHERS = "项目用地指标尚未落实，影响开工"  # 区发展和改革委员会's, on 刘卫东's JF2013-002


def problem(description):
    return Problem.objects.get(description=description)


def user(username):
    return User.objects.get(username=username)


def test_a_unit_contact_cannot_act_on_another_units_problem(demo_users):
    """The contact of 焦北街道 asking to close another unit's problem is refused by the action
    itself: nothing is recorded."""
    others = problem(OTHERS)
    with pytest.raises(PermissionDenied):
        actions.request_closure(user("jiaobei"), others, "已办结")
    others.refresh_from_db()
    assert others.closure_requested_at is None
    assert not others.updates.exists()


def test_the_round_records_each_step_once_and_the_history_once_per_save(demo_users):
    """Asked to close, sent back, closed: each step is one ProblemUpdate, each change of the
    problem one history record; a second request while one waits is refused."""
    mine = problem(MINE)
    history = mine.history.count()
    actions.request_closure(user("jiaobei"), mine, "商户已全部过渡安置")
    with pytest.raises(actions.Refused, match="已申请过销号"):
        actions.request_closure(user("jiaobei"), problem(MINE), "再次申请")
    actions.return_request(user("office"), problem(MINE), "尚有两户未安置")
    actions.close_problem(user("office"), problem(MINE), "全部安置完毕")
    mine.refresh_from_db()
    assert mine.status == Problem.Status.CLOSED and mine.closing_note == "全部安置完毕"
    assert list(mine.updates.order_by("pk").values_list("kind", flat=True)) == [
        ProblemUpdate.Kind.CLOSURE_REQUESTED,
        ProblemUpdate.Kind.RETURNED,
        ProblemUpdate.Kind.CLOSED,
    ]
    assert mine.history.count() == history + 3
    with pytest.raises(actions.Refused):
        actions.close_problem(user("office"), problem(MINE), "再次销号")


def test_only_an_office_over_the_region_locks_its_month(demo_users):
    """The month lock is an action: a lead official cannot lock, the office can, and unlocking
    removes the lock."""
    region = Region.objects.get(code="410802")
    with pytest.raises(PermissionDenied):
        meeting_actions.lock_month(user("chenlixin"), region, 2013, 6)
    assert not MonthLock.on(2013, 6, region).exists()
    meeting_actions.lock_month(user("office"), region, 2013, 6)
    assert MonthLock.on(2013, 6, region).exists()
    meeting_actions.unlock_month(user("office"), region, 2013, 6)
    assert not MonthLock.on(2013, 6, region).exists()
