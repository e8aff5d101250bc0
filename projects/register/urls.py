from django.urls import path

from . import help_views, life_views, map_views, sum_views, views

urlpatterns = [
    path("exports/progress.xlsx", views.ProgressWorkbookView.as_view(), name="progress_xlsx"),
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path(
        "projects/<int:pk>/location/",
        map_views.ProjectLocationView.as_view(),
        name="project_location",
    ),
    path("map/", map_views.MapView.as_view(), name="map"),
    path("map/projects.geojson", map_views.MapGeoJSONView.as_view(), name="map_geojson"),
    path("map/tiles.pmtiles", map_views.MapTilesView.as_view(), name="map_pmtiles"),
    path("officials/", sum_views.OfficialListView.as_view(), name="official_list"),
    path("officials/<int:pk>/", views.OfficialDetailView.as_view(), name="official_detail"),
    path("zones/", sum_views.ZoneListView.as_view(), name="zone_list"),
    path("ranking/", views.RankingView.as_view(), name="ranking"),
    path("starts/", life_views.StartRatesView.as_view(), name="start_rates"),
    path("projects/<int:pk>/stage/", life_views.StageChangeView.as_view(), name="stage_change"),
    path("help/", help_views.HelpView.as_view(), name="help"),
    path(
        "help/screenshots/<slug:name>.png",
        help_views.HelpScreenshotView.as_view(),
        name="help_screenshot",
    ),
]
