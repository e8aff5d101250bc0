"""Where the demo's districts, zones and projects lie on the map: plausible places in 焦作
(WGS-84), drawn for the demonstration only; they are not the official boundaries."""

from projects.models import Project, Region, Zone


def box(west, south, east, north, notch=0.0):
    """A closed ring, a rectangle with one corner cut (so that it reads as a drawn outline)."""
    return {
        "type": "Polygon",
        "coordinates": [
            [
                [west, south],
                [east - notch, south],
                [east, south + notch],
                [east, north],
                [west, north],
                [west, south],
            ]
        ],
    }


REGIONS = {
    "410802": {  # 解放区
        "type": "Polygon",
        "coordinates": [
            [
                [113.170, 35.215],
                [113.262, 35.212],
                [113.272, 35.245],
                [113.268, 35.308],
                [113.205, 35.312],
                [113.172, 35.285],
                [113.170, 35.215],
            ]
        ],
    },
    "410811": {  # 山阳区
        "type": "Polygon",
        "coordinates": [
            [
                [113.272, 35.245],
                [113.262, 35.212],
                [113.280, 35.186],
                [113.362, 35.190],
                [113.372, 35.262],
                [113.300, 35.280],
                [113.268, 35.308],
                [113.272, 35.245],
            ]
        ],
    },
}
ZONES = {
    "特色商业区": box(113.222, 35.232, 113.252, 35.256, 0.004),
    "解放工业园区": box(113.180, 35.252, 113.212, 35.282, 0.005),
    "文化旅游综合服务区": box(113.220, 35.268, 113.262, 35.302, 0.006),
    "新型城市社区": box(113.180, 35.222, 113.214, 35.246, 0.004),
    "山阳新城片区": box(113.280, 35.232, 113.322, 35.262, 0.005),
    "焦作高新技术产业园区": box(113.300, 35.196, 113.352, 35.228, 0.006),
}
PROJECTS = {
    "JF2013-001": (35.2851, 113.2402),
    "JF2013-002": (35.2663, 113.1952),
    "JF2013-003": (35.2405, 113.2311),
    "JF2013-004": (35.2452, 113.2388),
    "JF2013-005": (35.2377, 113.2456),
    "JF2013-006": (35.2498, 113.2279),
    "JF2013-007": (35.2924, 113.2286),
    "JF2013-008": (35.2521, 113.2462),
    "JF2013-009": (35.2318, 113.1995),
    "JF2013-010": (35.2763, 113.2531),
    "SY2013-001": (35.2482, 113.2985),
    "SY2013-002": (35.2581, 113.2862),
    "SY2013-003": (35.2405, 113.3102),
    "SY2013-004": (35.2531, 113.3151),
    "SY2013-005": (35.2376, 113.2874),
    "SY2013-006": (35.2149, 113.3102),
    "SY2013-007": (35.2087, 113.3256),
    "SY2013-008": (35.2203, 113.3387),
    "SY2013-009": (35.2021, 113.3452),
    "SY2013-010": (35.2175, 113.3198),
    "SY2013-011": (35.2046, 113.3063),
    "SY2013-012": (35.2437, 113.3021),
}


def place_demo():
    """Puts the demo's regions, zones and projects on the map where they have no place yet."""
    for code, outline in REGIONS.items():
        Region.objects.filter(code=code, outline__isnull=True).update(outline=outline)
    for name, outline in ZONES.items():
        Zone.objects.filter(name=name, outline__isnull=True).update(outline=outline)
    for code, (latitude, longitude) in PROJECTS.items():
        Project.objects.filter(code=code, latitude__isnull=True).update(
            latitude=str(latitude), longitude=str(longitude)
        )
