from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    """The programme's funded projects, their stands at a fair and the
    visitors' stamp card (docs/projects.md)."""

    name = "eventhub.projects"
    label = "projects"
    verbose_name = _("Projects")
