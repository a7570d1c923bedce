from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from eventhub.core import api, health, views
from eventhub.journeys import stamps
from eventhub.journeys import views as journeys
from eventhub.kiosks import survey as survey_kiosk
from eventhub.kiosks import views as kiosks

api_v1 = [
    path("events/", api.EventListApi.as_view(), name="api-event-list"),
    path("events/<slug:event>/", api.EventDetailApi.as_view(), name="api-event-detail"),
    path(
        "kiosk/<str:token>/snapshot/",
        kiosks.KioskSnapshotApi.as_view(),
        name="api-kiosk-snapshot",
    ),
    path("kiosk/<str:token>/lookup/", kiosks.KioskLookupApi.as_view(), name="api-kiosk-lookup"),
    path("", include("registrations.api_urls")),
    path("", include("screenings.api_urls")),
    path("", include("eventhub.projects.api_urls")),
    path("", include("eventhub.consultation.api_urls")),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("e/<slug:event>/", journeys.event_detail, name="event-detail"),
    path("staff/", views.staff_home, name="staff-home"),
    path("kiosk/<str:token>/", kiosks.kiosk_page, name="kiosk"),
    path(
        "kiosk/<str:token>/survey/<slug:audience>/",
        survey_kiosk.survey_kiosk_answer,
        name="kiosk-survey",
    ),
    path("healthz", health.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    # Redoc styles its page with inline <style> elements it injects itself.
    path(
        "api/redoc/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularRedocView.as_view(url_name="api-schema")
        ),
        name="api-redoc",
    ),
    path("", include("registrations.urls")),
    path("", include("screenings.urls")),
    path("", include("eventhub.projects.urls")),
    path("", include("eventhub.consultation.urls")),
    path("t/<str:key>/stamps/", stamps.ticket_stamps, name="ticket-stamps"),
    path("", include("eventhub.organizer.urls")),
    path("", include("eventhub.dashboard.urls")),
]
