from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventhubConfig(AppConfig):
    """The core: events, programme areas, staff roles, kiosks, the audit trail.

    Its app label stays ``eventhub`` (tables, migrations and permissions
    predate the move into ``eventhub/core/``).
    """

    name = "eventhub.core"
    label = "eventhub"
    verbose_name = _("Events and staff")

    def ready(self):
        # The pool's health check at most every few seconds per connection
        # (one round trip less per request; eventhub/core/dbpool.py).
        from eventhub.core import checks, dbpool

        dbpool.install()
        checks.register()
