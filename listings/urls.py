from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .feeds import PostingFeed

app_name = "listings"

urlpatterns = [
    path("", require_safe(views.home), name="home"),
    path("internships/", require_safe(views.posting_list), name="posting-list"),
    path("internships/<int:pk>/", require_safe(views.posting_detail), name="posting-detail-short"),
    path("internships/<int:pk>/apply/", views.apply, name="posting-apply"),
    path(
        "internships/<int:pk>/<str:slug>/",
        require_safe(views.posting_detail),
        name="posting-detail",
    ),
    path("feeds/internships/", require_safe(PostingFeed()), name="posting-feed"),
]
