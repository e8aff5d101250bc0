"""manage.py loadtest: see projects/operations/loadtest.py."""

from projects.operations.loadtest import Command

__all__ = ["Command"]
