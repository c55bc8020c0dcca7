from django.contrib import admin
from django.urls import include, path

from listings import sitemaps
from listings import views as listing_views

urlpatterns = [
    path("", include("listings.urls")),
    path("companies/", include("companies.urls")),
    path("", include("shortlist.urls")),
    path("sitemap.xml", sitemaps.sitemap_xml, name="sitemap"),
    path("sitemap-<str:section>.xml", sitemaps.sitemap_section, name="sitemap-section"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("healthz", listing_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
