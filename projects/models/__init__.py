"""The models of the tracker, one module per concern; imported from here by everything else."""

from .api import ApiToken
from .base import (
    MONEY,
    MONTH_VALIDATORS,
    Escalation,
    Light,
    ReportStatus,
    StaleVersion,
    Versioned,
    non_negative,
    not_in_future,
)
from .documents import DocumentNumber
from .exports import ExportJob
from .factors import FactorNeed, FundingSource, StatsFigure
from .levels import ProjectLevel
from .meetings import DocumentTemplate, Meeting, MeetingSnapshot, Problem, ProblemUpdate
from .milestones import Milestone, MilestoneTemplate, MilestoneTemplateItem
from .plans import AnnualPlan, MonthlyPlan
from .progress import (
    ProgressPeriod,
    ProgressTotal,
    ProjectProgress,
    clear_progress,
    complete_progress,
    months_to_hold,
    rebuild_if_stale,
    rebuild_progress,
    rebuild_soon,
    recompute_once,
    refresh_progress,
)
from .regions import Profile, Region, RegionSubmission, default_region
from .register import (
    Official,
    Project,
    Unit,
    Zone,
)
from .reminders import Delivery, Notification, ReminderItem
from .reporting import MAX_PHOTOS, TEXT_LIMIT, MonthLock, MonthlyReport, ReportPhoto
from .scoring import ScoreRule
from .stages import Stage, StageChange, StartTarget
from .stats import StatsStatus

__all__ = [
    "ApiToken",
    "Delivery",
    "DocumentNumber",
    "DocumentTemplate",
    "Escalation",
    "ExportJob",
    "FactorNeed",
    "FundingSource",
    "StatsFigure",
    "StatsStatus",
    "Notification",
    "ProblemUpdate",
    "Profile",
    "Region",
    "RegionSubmission",
    "default_region",
    "ProgressPeriod",
    "ProjectLevel",
    "ProgressTotal",
    "ProjectProgress",
    "ReminderItem",
    "MONEY",
    "MONTH_VALIDATORS",
    "MAX_PHOTOS",
    "TEXT_LIMIT",
    "AnnualPlan",
    "Light",
    "Meeting",
    "MeetingSnapshot",
    "Milestone",
    "MilestoneTemplate",
    "MilestoneTemplateItem",
    "MonthLock",
    "MonthlyPlan",
    "MonthlyReport",
    "Official",
    "Problem",
    "Project",
    "ReportPhoto",
    "ReportStatus",
    "ScoreRule",
    "Stage",
    "StageChange",
    "StartTarget",
    "StaleVersion",
    "Unit",
    "Versioned",
    "Zone",
    "non_negative",
    "not_in_future",
    "clear_progress",
    "complete_progress",
    "months_to_hold",
    "rebuild_if_stale",
    "rebuild_progress",
    "rebuild_soon",
    "recompute_once",
    "refresh_progress",
]
