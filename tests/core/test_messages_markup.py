"""A page that shows a message keeps list semantics (axe's ``listitem`` rule:
an <li> must sit in a <ul> whose role is still a list): the live region's
role=status sits on a wrapper, never on the list itself."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from eventhub.core.models import StaffRole
from tests.factories import AttendeeFactory, StaffRoleFactory

pytestmark = pytest.mark.django_db


class Outline(HTMLParser):
    """Each <li class="message">'s chain of ancestors as (tag, attrs)."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source", "col", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack, self.messages = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "li" and "message" in (attrs.get("class") or ""):
            self.messages.append(list(self.stack))
        if tag not in self.VOID:
            self.stack.append((tag, attrs))

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


def test_a_message_sits_in_a_plain_list_inside_a_status_region(event):
    AttendeeFactory(event=event)
    client = Client()
    client.force_login(StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user)
    code = event.attendees.get().ticket.code
    page = client.post(
        reverse("checkin-paper", args=[event.slug]),
        {"tickets": [code], "codes": "", "gate": "Paper"},
        follow=True,
    )
    outline = Outline()
    outline.feed(page.content.decode())
    assert outline.messages, "the page shows its message"
    for ancestors in outline.messages:
        (list_tag, list_attrs), (_wrapper_tag, wrapper_attrs) = ancestors[-1], ancestors[-2]
        assert list_tag == "ul" and "role" not in list_attrs
        assert wrapper_attrs.get("role") == "status"
