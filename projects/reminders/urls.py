from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.NotificationListView.as_view(), name="notification_list"),
    path(
        "notifications/<int:pk>/",
        views.NotificationDetailView.as_view(),
        name="notification_detail",
    ),
    path(
        "notifications/<int:pk>/read/",
        views.NotificationReadView.as_view(),
        name="notification_read",
    ),
    path(
        "notifications/<int:pk>/items/<int:item>/",
        views.NotificationOpenView.as_view(),
        name="notification_open",
    ),
    path("notifications/read/", views.NotificationReadView.as_view(), name="notification_read_all"),
    path("report-status/", views.ReportStatusView.as_view(), name="report_status"),
]
