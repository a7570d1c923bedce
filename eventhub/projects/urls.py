"""Public pages of the project directory, and the stand signs."""

from django.urls import path

from eventhub.projects import views

urlpatterns = [
    path("e/<slug:event>/projects/", views.project_directory, name="project-directory"),
    path("e/<slug:event>/projects/<slug:slug>/", views.project_detail, name="project-detail"),
    path(
        "staff/events/<slug:event>/projects/<slug:slug>/sign.pdf",
        views.project_stand_sign,
        name="project-stand-sign",
    ),
]
