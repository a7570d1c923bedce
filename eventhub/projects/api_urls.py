"""API routes of the project directory (under /api/v1/)."""

from django.urls import path

from eventhub.projects import api

urlpatterns = [
    path("events/<slug:event>/projects/", api.ProjectListApi.as_view(), name="api-project-list"),
]
