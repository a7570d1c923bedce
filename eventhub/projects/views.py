"""Public pages of the project directory, and the organizer's stand signs."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from eventhub.core.permissions import event_role_required
from eventhub.core.selectors import event_get_public
from eventhub.projects.selectors import project_facets, project_get, project_list
from eventhub.projects.sign_pdf import stand_sign_pdf


def _public_event(slug):
    event = event_get_public(slug=slug)
    if event is None:
        raise Http404
    return event


def project_directory(request, event):
    """The fair's projects, searchable by words, theme and region."""
    event_obj = _public_event(event)
    filters = {
        "query": request.GET.get("q", "").strip()[:100],
        "theme": request.GET.get("theme", ""),
        "region": request.GET.get("region", ""),
    }
    return render(
        request,
        "projects/directory.html",
        {
            "event": event_obj,
            "projects": project_list(event_id=event_obj.pk, **filters),
            "facets": project_facets(event_id=event_obj.pk),
            "filters": filters,
            "filtered": any(filters.values()),
        },
    )


def project_detail(request, event, slug):
    event_obj = _public_event(event)
    project = project_get(event_id=event_obj.pk, slug=slug)
    if project is None:
        raise Http404
    return render(request, "projects/detail.html", {"event": event_obj, "project": project})


@event_role_required()
def project_stand_sign(request, event, slug):
    """The stand sign (PDF): organizers only, as it carries the stamp code."""
    project = project_get(event_id=event.pk, slug=slug)
    if project is None:
        raise Http404
    response = HttpResponse(stand_sign_pdf(project), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="stand-{project.stand or 0}-{slug}.pdf"'
    return response
