"""What a server process does once its application is loaded: warm it up,
then freeze what it loaded (gunicorn's master, deploy/gunicorn.conf.py; each
uvicorn worker, eventhub/asgi.py)."""

import gc
import os


def warm_up() -> None:
    """Do now what the first request would otherwise pay for (0.5–2 s on a
    2-core machine): import every view through the URLconf, build the
    reverse() tables, read the translation catalogues. No database, no Redis:
    gunicorn's master forks afterwards and must hold no connection."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018 - imports every view module
    resolver._populate()  # the reverse() tables
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")


def freeze_startup_heap() -> bool:
    """Hide the objects alive now (Django, the URLconf, every imported module:
    a few hundred thousand) from the garbage collector; return whether done.

    A full collection otherwise walks them all, tens of milliseconds in which
    a sync worker answers nobody and an ASGI worker's event loop serves no
    socket: the tail of the gate's and the boards' latencies. Frozen, a
    collection walks only what the requests made. In gunicorn's master,
    before the fork, it also keeps the workers' shared pages shared (a
    collection no longer writes to those objects' headers).
    ``GC_FREEZE=0`` turns it off, to measure the difference (README,
    Benchmarks).
    """
    if os.environ.get("GC_FREEZE", "1") == "0":
        return False
    gc.collect()
    gc.freeze()
    return True
