"""The read-only API for superiors' systems (/api/v1/): the register, the month's progress,
the regions' totals, problems and meetings, each as the account of the token's region sees
them (Model.objects.restrict). See docs/api.md."""
