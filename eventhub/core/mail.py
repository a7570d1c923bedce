"""Sending templated e-mails in the recipient's language, times in the fair's zone.

A message is three templates beside each other: ``<base>_subject.txt``,
``<base>.txt`` and ``<base>.html``. Call this from a background task, never
from a request: rendering attachments (PDF) and SMTP are slow.
"""

from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import timezone, translation

from eventhub.core.links import current_base_url


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def send_templated_email(
    *,
    to: str,
    template_base: str,
    context: dict,
    language: str = "en",
    attachments: list[Attachment] | tuple = (),
) -> None:
    """Render ``template_base`` in ``language`` and send it to ``to`` (plain text + HTML).

    Times read in the time zone of the context's ``event`` (the fair's own,
    whatever the server's), as on its pages.
    """
    event = context.get("event")
    zone = getattr(event, "timezone", None) or timezone.get_current_timezone_name()
    with translation.override(language), timezone.override(zone):
        context = {"site_url": current_base_url(), **context}
        subject = " ".join(render_to_string(f"{template_base}_subject.txt", context).split())
        text = render_to_string(f"{template_base}.txt", context)
        html = render_to_string(f"{template_base}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to])
    message.attach_alternative(html, "text/html")
    for attachment in attachments:
        message.attach(attachment.filename, attachment.content, attachment.mimetype)
    message.send()
