"""The admin, registered per concern; Django's autodiscovery imports this module."""

from .api import admin as api_admin
from .life import admin as life_admin
from .meetings import admin as meetings_admin
from .operations import admin as operations_admin
from .register import admin as register_admin
from .register import score_rules_admin
from .reminders import admin as reminders_admin
from .reporting import admin as reporting_admin

__all__ = [
    "api_admin",
    "life_admin",
    "meetings_admin",
    "operations_admin",
    "register_admin",
    "reminders_admin",
    "reporting_admin",
    "score_rules_admin",
]
