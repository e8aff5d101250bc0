from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("projects/", views.ProjectListView.as_view(), name="project_list"),
    path("projects/<int:pk>/", views.ProjectDetailView.as_view(), name="project_detail"),
    path("officials/", views.OfficialListView.as_view(), name="official_list"),
    path("officials/<int:pk>/", views.OfficialDetailView.as_view(), name="official_detail"),
    path("zones/", views.ZoneListView.as_view(), name="zone_list"),
    path("my/", views.MyProjectsView.as_view(), name="my_projects"),
    path("projects/<int:pk>/reports/new/", views.ReportCreateView.as_view(), name="report_create"),
    path("reports/<int:pk>/edit/", views.ReportEditView.as_view(), name="report_edit"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/print/", views.MeetingPrintView.as_view(), name="meeting_print"),
    path("meetings/<int:pk>/lock/", views.MeetingLockView.as_view(), name="meeting_lock"),
    path("meetings/<int:pk>/packet.pdf", views.MeetingPdfView.as_view(), name="meeting_pdf"),
    path(
        "meetings/<int:pk>/problems/new/", views.ProblemCreateView.as_view(), name="problem_create"
    ),
    path("problems/", views.ProblemListView.as_view(), name="problem_list"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/close/", views.ProblemCloseView.as_view(), name="problem_close"),
    path("officials/<int:pk>/print/", views.OfficialPrintView.as_view(), name="official_print"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/progress/", views.ImportProgressView.as_view(), name="import_progress"),
    path("import/template.xlsx", views.ImportTemplateView.as_view(), name="import_template"),
    path("help/", views.HelpView.as_view(), name="help"),
    path("help/screenshots/<slug:name>.png", views.help_screenshot, name="help_screenshot"),
    path("exports/progress.xlsx", views.ProgressWorkbookView.as_view(), name="progress_xlsx"),
]
