"""The one validation path of a group registration (web form and API).

The contact person is validated by ``RegistrationInput`` (the single
registration's fields and messages); each companion by ``MemberInput``.
Errors name their field: ``contact.email``, ``members.3.age``.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from registrations.models import Group
from registrations.registration_input import REQUIRED, TOO_LONG, RegistrationInput, _text

BAD_AGE = _("Enter an age between 0 and 120.")


class MemberInput(serializers.Serializer):
    """One companion: a name and, optionally, an age and an e-mail address
    (their own ticket is e-mailed there too)."""

    first_name = _text(100)
    last_name = _text(100)
    email = serializers.EmailField(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        error_messages={"max_length": TOO_LONG, "invalid": _("Enter a valid e-mail address.")},
    )
    age = serializers.IntegerField(
        min_value=0,
        max_value=120,
        required=False,
        allow_null=True,
        default=None,
        error_messages={"invalid": BAD_AGE, "min_value": BAD_AGE, "max_value": BAD_AGE},
    )


class GroupRegistrationInput(serializers.Serializer):
    """A contact person, up to ten companions and the group's pick-up place.

    Needs ``context={"event": event, "language": ...}`` like
    ``RegistrationInput``.
    """

    contact = serializers.DictField(
        error_messages={
            "required": REQUIRED,
            "null": REQUIRED,
            "not_a_dict": _("Give the contact person's details."),
        }
    )
    members = serializers.ListField(
        child=MemberInput(),
        required=False,
        default=list,
        max_length=Group.MAX_COMPANIONS,
        error_messages={
            "max_length": _("A group has at most 10 companions."),
            "not_a_list": _("Give the companions as a list."),
            "null": REQUIRED,
        },
    )
    transport_from = _text(
        120,
        required=False,
        default="",
        help_text=_("Where the group is picked up; empty: no transport needed."),
    )

    def validate_contact(self, value: dict) -> dict:
        self.contact_input = RegistrationInput(data=value, context=self.context)
        if not self.contact_input.is_valid():
            raise serializers.ValidationError(self.contact_input.errors)
        return value

    def service_kwargs(self) -> dict:
        """The validated input as keyword arguments of ``group_register``."""
        return {
            "contact": self.contact_input.service_kwargs(),
            "members": [
                {**m, "email": m.get("email", "").strip().lower()}
                for m in self.validated_data["members"]
            ],
            "transport_from": self.validated_data["transport_from"],
        }
