from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventhubConfig(AppConfig):
    name = "eventhub"
    verbose_name = _("Events and staff")
