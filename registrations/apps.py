from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations and tickets")

    def ready(self):
        # Registers the fair's capacity pool with the core's engine, so the
        # event admin (in the core) resizes it through the same service.
        from registrations.services import attendees  # noqa: F401
