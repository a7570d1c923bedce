from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningsConfig(AppConfig):
    name = "screenings"
    verbose_name = _("Screenings and queues")

    def ready(self):
        # The core's rule on deleting a whole fair counts its people: a
        # walk-in queued without a ticket is one (their first name).
        from eventhub.core.selectors import event_people_register
        from screenings.models import QueueEntry

        event_people_register(
            "screenings.walk_ins",
            _("walk-ins queued without a ticket"),
            lambda *, event_id: QueueEntry.objects.filter(
                queue__service__event_id=event_id, attendee__isnull=True
            ).count(),
        )
