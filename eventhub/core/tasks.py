"""Background work of the core: the staff invitation e-mail."""

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from eventhub.core.mail import send_templated_email
from eventhub.core.models import Event, StaffRole


def set_password_path(user) -> str:
    """The one-time link where ``user`` chooses a password (Django's reset token)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("organizer:set-password", args=[uid, token])


@task()
def send_staff_invitation(user_id: int, event_id: int, role: str, language: str = "en") -> None:
    """E-mail a new or existing staff member their role and a set-password link.

    The token is made here, at sending time, so that it matches the
    password the account has when the e-mail leaves.
    """
    user = get_user_model().objects.filter(pk=user_id).first()
    event = Event.objects.filter(pk=event_id).first()
    if user is None or event is None or not user.email:
        return
    send_templated_email(
        to=user.email,
        template_base="emails/staff/invitation",
        context={
            "user": user,
            "event": event,
            "role": StaffRole.Role(role).label,
            "set_password_path": set_password_path(user),
        },
        language=language,
    )
