from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_safe

from listings import sitemaps
from listings import views as listing_views
from listings.urls import company_urlpatterns

from . import views

# Public pages only read: PUT, DELETE, PATCH, POST get 405 (require_safe).
urlpatterns = [
    path("", include("listings.urls")),
    path("companies/", include(company_urlpatterns)),
    path("", include("shortlist.urls")),
    path("sitemap.xml", require_safe(sitemaps.sitemap_xml), name="sitemap"),
    path(
        "sitemap-<str:section>.xml",
        require_safe(sitemaps.sitemap_section),
        name="sitemap-section",
    ),
    path("robots.txt", require_safe(sitemaps.robots_txt), name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("healthz", require_safe(listing_views.healthz), name="healthz"),
    path("admin/", admin.site.urls),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
