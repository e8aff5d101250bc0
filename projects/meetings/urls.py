from django.urls import path

from . import views

urlpatterns = [
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("meetings/<int:pk>/print/", views.MeetingPrintView.as_view(), name="meeting_print"),
    path("meetings/<int:pk>/lock/", views.MeetingLockView.as_view(), name="meeting_lock"),
    path("meetings/<int:pk>/packet.pdf", views.MeetingPdfView.as_view(), name="meeting_pdf"),
    path(
        "meetings/<int:pk>/minutes.docx",
        views.MeetingMinutesDocxView.as_view(),
        name="meeting_minutes_docx",
    ),
    path(
        "meetings/<int:pk>/bulletin.docx",
        views.MeetingBulletinDocxView.as_view(),
        name="meeting_bulletin_docx",
    ),
    path("meetings/<int:pk>/reissue/", views.MeetingReissueView.as_view(), name="meeting_reissue"),
    path("bulletin.docx", views.BulletinDocxView.as_view(), name="bulletin_docx"),
    path(
        "meetings/<int:pk>/problems/new/", views.ProblemCreateView.as_view(), name="problem_create"
    ),
    path("officials/<int:pk>/print/", views.OfficialPrintView.as_view(), name="official_print"),
    path("officials/<int:pk>/packet.pdf", views.OfficialPdfView.as_view(), name="official_pdf"),
]
