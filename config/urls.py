from django.contrib import admin
from django.urls import include, path

from listings import views as listing_views

urlpatterns = [
    path("", include("listings.urls")),
    path("companies/", include("companies.urls")),
    path("healthz", listing_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
