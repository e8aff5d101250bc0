"""manage.py bench_api: see projects/operations/bench_api.py."""

from projects.operations.bench_api import Command

__all__ = ["Command"]
