"""The regions directly beneath a region side by side (a city's districts, a province's
cities), for the dashboard of an office above the districts."""


def regions_beneath(projects, period, region):
    """(rows, total, missing) of the regions directly beneath `region`, each row and
    missing entry named by its `label`: from the progress table's totals, one grouped
    query each, whatever the number of districts."""
    groups, total = projects.summary(period, by=region)
    groups = {group["region_path"]: group for group in groups}
    missing = projects.missing_reports_beneath(period.year, period.month, region)
    children = list(region.children.order_by("code"))
    rows = [
        groups[child.path] | {"label": child.name} for child in children if child.path in groups
    ]
    owing = sorted(
        (
            {"label": child.name, "count": missing[child.path]}
            for child in children
            if missing.get(child.path)
        ),
        key=lambda row: -row["count"],
    )
    return rows, total, owing
