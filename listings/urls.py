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

# The company pages show postings, so they are served from here, under
# /companies/ and the `companies` namespace (config/urls.py).
company_urlpatterns = (
    [
        path("", require_safe(views.company_list), name="company-list"),
        path("<slug:slug>/", require_safe(views.company_detail), name="company-detail"),
    ],
    "companies",
)
