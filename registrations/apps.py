from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = _("Registrations and tickets")

    def ready(self):
        from eventhub.core.selectors import event_people_register
        from registrations.models import Attendee

        # Registers the fair's capacity pool with the core's engine, so the
        # event admin (in the core) resizes it through the same service.
        from registrations.services import attendees  # noqa: F401

        # The core's rule on deleting a whole fair counts its people.
        event_people_register(
            "registrations.attendees",
            Attendee._meta.verbose_name_plural,
            lambda *, event_id: Attendee.objects.filter(event_id=event_id).count(),
        )
