from django.urls import path

from . import views

app_name = "shortlist"

urlpatterns = [
    path("saved/", views.saved_list, name="saved-list"),
    path("saved/export.csv", views.export_csv, name="saved-export"),
    path("saved/<int:pk>/", views.save, name="save"),
    path("saved/<int:pk>/applied/", views.applied, name="applied"),
    path("alerts/", views.alert_create, name="alert-create"),
    path("alerts/new/", views.alert_new, name="alert-new"),
    path("alerts/confirm/<str:token>/", views.alert_confirm, name="alert-confirm"),
    path("alerts/unsubscribe/<str:token>/", views.alert_unsubscribe, name="alert-unsubscribe"),
]
