"""Public pages that show what several apps offer: an event's page, with its
training sessions and free screenings."""

from django.http import Http404
from django.shortcuts import render

from eventhub.core.selectors import event_get_public
from screenings.selectors.offer import screening_offer


def event_detail(request, event):
    event_obj = event_get_public(slug=event)
    if event_obj is None:
        raise Http404
    return render(
        request,
        "eventhub/event_detail.html",
        {"event": event_obj, "screening_offer": screening_offer(event_id=event_obj.pk)},
    )
