"""Staff pages: the doctor console and adding people to a queue."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from eventhub.core.exceptions import DomainError
from eventhub.core.exceptions import PermissionDenied as NotAllowed
from eventhub.core.models import StaffRole
from eventhub.core.permissions import event_role_required
from screenings.forms import QueueJoinForm
from screenings.models import FLAG_LABELS, QueueEntry, question_flag_labels
from screenings.selectors.access import access_station_console, can_read_health_data
from screenings.selectors.catalogue import service_get, services_for_event
from screenings.services.queue import queue_join

Role = StaffRole.Role


@login_required
def station_console(request, station):
    try:
        station_obj, snapshot = access_station_console(
            user=request.user, station_id=station, what=f"console page of station {station}"
        )
    except NotAllowed as exc:
        raise PermissionDenied from exc
    except DomainError as exc:
        raise Http404 from exc
    service = station_obj.service
    other_stations = service.stations.exclude(pk=station_obj.pk).order_by("position", "pk")
    config = {
        "station": station_obj.pk,
        "socket": f"/ws/stations/{station_obj.pk}/",
        "api": "/api/v1/",
        "flagLabels": {
            **question_flag_labels(service.questions.all()),
            **{code: str(label) for code, label in FLAG_LABELS.items()},
        },
        "statusLabels": {code: str(label) for code, label in QueueEntry.Status.choices},
        "text": {
            "nobody": _("Nobody at your station. Press “Call next”."),
            "empty": _("Nobody is waiting: the queue is empty."),
            "called": _("Called"),
            "inProgress": _("In progress"),
            "start": _("Start"),
            "complete": _("Done"),
            "noShow": _("No-show"),
            "recall": _("Call again"),
            "handOver": _("Send to"),
            "referral": _("Referral recommended"),
            "note": _("Short note (no diagnosis)"),
            "appointment": _("appointment"),
            "walkIn": _("walk-in"),
            "live": _("Live"),
            "offline": _("Offline: refreshing every few seconds"),
            "error": _("That did not work; the list has been refreshed."),
            "paused": _("Paused"),
            "open": _("Open"),
            "pause": _("Pause station"),
            "reopen": _("Reopen station"),
            "average": _("about {minutes} min per person"),
            "wait": _("a newcomer waits about {minutes} min"),
        },
    }
    return render(
        request,
        "screenings/console.html",
        {
            "station": station_obj,
            "service": service,
            "event": service.event,
            "other_stations": other_stations,
            "config": config,
            "snapshot": snapshot,
        },
    )


@event_role_required(Role.VOLUNTEER, Role.DOCTOR)
def staff_screenings(request, event):
    services = services_for_event(event_id=event.pk, upcoming_only=True)
    forms = {
        s.code: QueueJoinForm(programme_id=event.programme_id, prefix=s.code) for s in services
    }
    if request.method == "POST":
        code = request.POST.get("service", "")
        try:
            service = service_get(event_id=event.pk, code=code)
        except DomainError as exc:
            raise Http404 from exc
        form = QueueJoinForm(request.POST, programme_id=event.programme_id, prefix=service.code)
        forms[service.code] = form
        if form.is_valid():
            data = form.cleaned_data
            walk_in = None
            if not data["ticket"]:
                walk_in = {
                    "first_name": data["first_name"],
                    "region": data["region"].pk if data["region"] else None,
                    "category": data["category"],
                    "flags": data["flags"],
                }
            try:
                result = queue_join(
                    service_id=service.pk, ticket=data["ticket"] or None, walk_in=walk_in
                )
            except DomainError as exc:
                form.add_error("ticket", str(exc.message))
            else:
                text = _("Number %(number)s: position %(position)s, about %(wait)s min wait.") % {
                    "number": result.number,
                    "position": result.position,
                    "wait": result.estimated_wait_minutes,
                }
                if not result.created:
                    text = _("Already in the queue. ") + text
                messages.success(request, text)
                return redirect(reverse("screenings:staff", args=[event.slug]) + f"#{service.code}")
    can_console = {s.pk: can_read_health_data(request.user, s) for s in services}
    waiting = dict(
        QueueEntry.objects.filter(queue__service__event=event, status=QueueEntry.Status.WAITING)
        .values_list("queue__service_id")
        .annotate(n=Count("pk"))
    )
    rows = [
        {
            "service": s,
            "form": forms[s.code],
            "console": can_console[s.pk],
            "waiting": waiting.get(s.pk, 0),
        }
        for s in services
    ]
    return render(request, "screenings/staff_screenings.html", {"event": event, "rows": rows})
