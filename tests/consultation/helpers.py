"""The demo fair's two questionnaires (seeds/001) on a test event."""

from eventhub.consultation.models import Survey
from eventhub.demo.consultation import load_surveys
from tests.factories import RegionFactory

CITIZEN_ANSWERS = {
    "heard": "yes",
    "noticed": ["health", "tourism"],
    "better_life": 4,
    "priority": "health",
    "idea": "A bus line from Vršac to Timișoara",
}


def questionnaires(event) -> dict[str, Survey]:
    load_surveys(event=event)
    return {s.audience: s for s in event.surveys.all()}


def timis(event):
    return RegionFactory(programme=event.programme, country="RO", name="Timiș")


def form_data(answers: dict, **extra) -> dict:
    """The answers as the HTML form posts them."""
    return {k: (v if isinstance(v, list) else str(v)) for k, v in answers.items()} | extra
