from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from motcua.core import api as core_api
from motcua.integrations.payment import api as payment_api

api_v1: list[URLPattern | URLResolver] = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs",
        SpectacularSwaggerView.as_view(url_name="schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("", include("motcua.accounts.api")),
    path("", include("motcua.agencies.api")),
    path("", include("motcua.catalog.api")),
    path("", include("motcua.calendar.api")),
    path("", include("motcua.dossiers.api")),
    path("", include("motcua.dossiers.forms.api")),
    path("", include("motcua.petitions.api")),
    path("", include("motcua.sipas.api")),
    path("", include("motcua.par.api")),
    path("", include("motcua.files.api")),
    path("", include("motcua.monitoring.api")),
    path("", include("motcua.warehouse.api")),
    path("", include("motcua.integrations.population.api")),
    path("", include(payment_api.api_urlpatterns)),
    path("", include("motcua.outbox.api")),
    path("", include("motcua.notifications.api")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("integrations/payment/", include(payment_api.confirm_urlpatterns)),
    path("api/integrations/", include("motcua.integrations.inbound.api")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("can-bo/", include("motcua.backoffice.urls")),
    path("dieu-hanh/", include("motcua.monitoring.urls")),
    path("", include("motcua.portal.urls")),
]

handler404 = core_api.not_found_handler
handler500 = core_api.server_error_handler
