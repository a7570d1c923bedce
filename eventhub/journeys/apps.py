from django.apps import AppConfig


class JourneysConfig(AppConfig):
    """The attendee's day across the apps: wires screenings, the stamp card
    and the consultation into the hooks of registrations
    (``registrations.hooks``), which may not import them."""

    name = "eventhub.journeys"
    label = "journeys"

    def ready(self):
        from eventhub.consultation.selectors import consultation_data_export
        from eventhub.consultation.services import consultation_data_erase
        from eventhub.journeys.ticket import screening_booking_links
        from eventhub.projects.selectors import stamp_data_export
        from registrations import hooks
        from screenings.selectors.appointments import screening_data_export
        from screenings.services.erasure import (
            screening_data_erase,
            screening_places_release,
            screening_task_rows,
        )

        hooks.register(hooks.TICKET_SECTIONS, "screenings/_ticket_section.html")
        hooks.register(hooks.TICKET_SECTIONS, "projects/_ticket_section.html")
        hooks.register(hooks.TICKET_SECTIONS, "consultation/_ticket_section.html")
        hooks.register(hooks.ON_CANCEL, screening_places_release)
        hooks.register(hooks.ON_ERASE, screening_data_erase)
        hooks.register(hooks.TASK_ROWS, screening_task_rows)
        hooks.register(hooks.DATA_EXPORT, screening_data_export)
        hooks.register(hooks.TICKET_LINKS, screening_booking_links)
        hooks.register(hooks.ON_ERASE, consultation_data_erase)
        hooks.register(hooks.DATA_EXPORT, consultation_data_export)
        hooks.register(hooks.DATA_EXPORT, stamp_data_export)
