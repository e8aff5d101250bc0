from django.urls import path

from . import views

urlpatterns = [
    path("problems/", views.ProblemListView.as_view(), name="problem_list"),
    path("problems/mine/", views.MyProblemsView.as_view(), name="my_problems"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/answer/", views.ProblemAnswerView.as_view(), name="problem_answer"),
    path("problems/<int:pk>/return/", views.ProblemReturnView.as_view(), name="problem_return"),
    path("problems/<int:pk>/close/", views.ProblemCloseView.as_view(), name="problem_close"),
    path("problems/<int:pk>/notice/", views.ProblemNoticeView.as_view(), name="problem_notice"),
    path(
        "problems/<int:pk>/notice.pdf",
        views.ProblemNoticePdfView.as_view(),
        name="problem_notice_pdf",
    ),
]
