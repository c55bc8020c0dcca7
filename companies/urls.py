from django.urls import path
from django.views.decorators.http import require_safe

from . import views

app_name = "companies"

urlpatterns = [
    path("", require_safe(views.company_list), name="company-list"),
    path("<slug:slug>/", require_safe(views.company_detail), name="company-detail"),
]
