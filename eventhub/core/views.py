"""HTML pages of the core: the list of fairs and the staff home. An event's
page shows what the apps offer, so it lives in ``eventhub.journeys.views``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from eventhub.core.models import StaffRole
from eventhub.core.selectors import event_list_public


def home(request):
    return render(request, "eventhub/home.html", {"events": event_list_public()})


@login_required
def staff_home(request):
    roles = (
        StaffRole.objects.filter(user=request.user)
        .select_related("event")
        .order_by("-event__starts_at", "role")
    )
    return render(request, "eventhub/staff_home.html", {"roles": roles})
