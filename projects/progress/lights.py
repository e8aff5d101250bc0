"""Light ranks, so that lights sort, filter and add up as numbers (see Light in models).

A project with neither a plan for the year nor a milestone cannot be judged: 无计划, below
green.
"""

NONE, GREEN, YELLOW, RED = -1, 0, 1, 2

LIGHT_NAMES = {NONE: "none", GREEN: "green", YELLOW: "yellow", RED: "red"}
