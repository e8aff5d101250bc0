"""manage.py bench: see projects/operations/bench.py."""

from projects.operations.bench import Command

__all__ = ["Command"]
