from django.apps import AppConfig


class KiosksConfig(AppConfig):
    """The kiosks (board, self check-in, stats): registers the stats board's
    figures with the core's broadcaster (``stats_part_register``), so a
    change is computed once and sent to every stats socket."""

    name = "eventhub.kiosks"
    label = "kiosks"

    def ready(self):
        from eventhub.core.realtime import stats_part_register
        from eventhub.kiosks.selectors import STATS_PARTS

        for part, figures in STATS_PARTS.items():
            stats_part_register(part, figures)
