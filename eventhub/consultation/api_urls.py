"""API routes of the consultation (under /api/v1/)."""

from django.urls import path

from eventhub.consultation import api

urlpatterns = [
    path("events/<slug:event>/surveys/", api.SurveyListApi.as_view(), name="api-survey-list"),
    path(
        "surveys/<int:survey_id>/responses/",
        api.SurveyResponseCreateApi.as_view(),
        name="api-survey-respond",
    ),
    path(
        "events/<slug:event>/surveys/<int:survey_id>/results/",
        api.SurveyResultsApi.as_view(),
        name="api-survey-results",
    ),
]
