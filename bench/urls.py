"""The site's URLs plus one bare view, the yardstick for throughput ratios."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def ok(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bench__/ok", ok, name="bench-ok"), *site_urlpatterns]
