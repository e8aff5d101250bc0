"""manage.py seed_scale: see projects/operations/seed_scale.py."""

from projects.operations.seed_scale import Command

__all__ = ["Command"]
