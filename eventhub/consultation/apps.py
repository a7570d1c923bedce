from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    """The programme's public consultation: questionnaires per audience,
    answered online, on paper or at a kiosk (docs/consultation.md)."""

    name = "eventhub.consultation"
    label = "consultation"
    verbose_name = _("Public consultation")
