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
