from django.urls import path

from . import views
from .feeds import PostingFeed

app_name = "listings"

urlpatterns = [
    path("", views.home, name="home"),
    path("internships/", views.posting_list, name="posting-list"),
    path("internships/<int:pk>/", views.posting_detail, name="posting-detail-short"),
    path("internships/<int:pk>/apply/", views.apply, name="posting-apply"),
    path("internships/<int:pk>/<str:slug>/", views.posting_detail, name="posting-detail"),
    path("feeds/internships/", PostingFeed(), name="posting-feed"),
]

# The company pages show postings, so they are served from here, under
# /companies/ and the `companies` namespace (config/urls.py).
company_urlpatterns = (
    [
        path("", views.company_list, name="company-list"),
        path("<slug:slug>/", views.company_detail, name="company-detail"),
    ],
    "companies",
)
