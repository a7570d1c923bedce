"""HTML pages of the core: the event list, an event's home page, the staff home."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from eventhub.core.models import StaffRole
from eventhub.core.selectors import event_get_public, event_list_public


def home(request):
    return render(request, "eventhub/home.html", {"events": event_list_public()})


def event_detail(request, event):
    event_obj = event_get_public(slug=event)
    if event_obj is None:
        raise Http404
    return render(request, "eventhub/event_detail.html", {"event": event_obj})


@login_required
def staff_home(request):
    roles = (
        StaffRole.objects.filter(user=request.user)
        .select_related("event")
        .order_by("-event__starts_at", "role")
    )
    return render(request, "eventhub/staff_home.html", {"roles": roles})
