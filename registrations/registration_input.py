"""The one validation path of a registration, shared by the web form and the API.

``RegistrationInput`` is a DRF serializer: the API feeds it JSON, the phone
form feeds it ``request.POST``; both then call ``attendee_register`` with
``service_kwargs()``. Its messages are this project's own translatable
strings, so field errors read in English, Romanian and Serbian alike.
``ContactInput`` (name, e-mail, phone) is the part the ticket page edits.
"""

import phonenumbers
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from eventhub.core.models import Event
from registrations.models import Attendee

OTHER_REGION = "other"

# Countries of the programme areas and their neighbours; "" is any other.
COUNTRIES = [
    ("RO", _("Romania")),
    ("RS", _("Serbia")),
    ("BG", _("Bulgaria")),
    ("MK", _("North Macedonia")),
    ("HU", _("Hungary")),
    ("SK", _("Slovakia")),
    ("UA", _("Ukraine")),
    ("MD", _("Moldova")),
]

REQUIRED = _("This field is required.")
TOO_LONG = _("Use at most {max_length} characters.")
NOT_TEXT = _("Enter text here.")
BAD_CHOICE = _("Choose one of the options.")


def _text(max_length: int, *, required: bool = True, **kwargs) -> serializers.CharField:
    return serializers.CharField(
        max_length=max_length,
        required=required,
        allow_blank=not required,
        trim_whitespace=True,
        error_messages={
            "required": REQUIRED,
            "blank": REQUIRED,
            "null": REQUIRED,
            "max_length": TOO_LONG,
            "invalid": NOT_TEXT,
        },
        **kwargs,
    )


def _choice(choices, *, field_class=serializers.ChoiceField, **kwargs):
    return field_class(
        choices=choices,
        error_messages={
            "required": REQUIRED,
            "null": REQUIRED,
            "invalid_choice": BAD_CHOICE,
            "blank": REQUIRED,
        },
        **kwargs,
    )


@extend_schema_field(
    {
        "type": "string",
        "description": 'A region id of the event\'s programme area, or "other".',
        "example": "other",
    }
)
class RegionChoiceField(serializers.ChoiceField):
    """Its choices depend on the event, so the schema describes it instead."""


def phone_to_e164(value: str, *, default_region: str = "RO") -> str:
    """A phone number as typed (national or international) in E.164, or raise."""
    try:
        number = phonenumbers.parse(value, default_region or None)
    except phonenumbers.NumberParseException as exc:
        raise serializers.ValidationError(
            _("Enter a valid phone number, e.g. +40 722 123 456.")
        ) from exc
    if not phonenumbers.is_valid_number(number):
        raise serializers.ValidationError(_("Enter a valid phone number, e.g. +40 722 123 456."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ContactInput(serializers.Serializer):
    """Name, e-mail and phone: the contact details a person can change later."""

    first_name = _text(100)
    last_name = _text(100)
    email = serializers.EmailField(
        max_length=254,
        error_messages={
            "required": REQUIRED,
            "blank": REQUIRED,
            "null": REQUIRED,
            "max_length": TOO_LONG,
            "invalid": _("Enter a valid e-mail address."),
        },
    )
    phone = _text(32, required=False, default="", help_text=_("International format, E.164."))

    def _default_phone_region(self) -> str:
        event = self.context.get("event")
        return event.country if event is not None else "RO"

    def validate_email(self, value: str) -> str:
        return value.strip().lower()

    def validate_phone(self, value: str) -> str:
        value = value.strip()
        return phone_to_e164(value, default_region=self._default_phone_region()) if value else ""


class RegistrationInput(ContactInput):
    """Everything a person gives when registering for an event.

    Needs ``context={"event": event}``: the region choices are the regions of
    the event's programme area, plus "other".
    """

    region = _choice([], field_class=RegionChoiceField)
    country = _choice(COUNTRIES, required=False, allow_blank=True, default="")
    category = _choice(Attendee.Category.choices, required=False, default="citizen")
    gender = _choice(Attendee.Gender.choices, required=False, allow_blank=True, default="")
    language = _choice(settings.LANGUAGES, required=False)
    accessibility_needs = _text(500, required=False, default="")
    needs_transport = serializers.BooleanField(
        required=False, default=False, error_messages={"invalid": _("Answer yes or no.")}
    )
    consent = serializers.BooleanField(
        help_text=_("The person accepts the terms and the privacy notice."),
        error_messages={
            "required": _("Please accept the terms and the privacy notice."),
            "invalid": _("Answer yes or no."),
            "null": _("Please accept the terms and the privacy notice."),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        event: Event | None = self.context.get("event")
        self.regions = {}
        if event is not None and event.programme_id:
            self.regions = {r.pk: r for r in event.programme.regions.all()}
        self.fields["region"].choices = [
            *((str(pk), region.name) for pk, region in self.regions.items()),
            (OTHER_REGION, _("Other / outside the programme area")),
        ]

    def validate_consent(self, value: bool) -> bool:
        if not value:
            raise serializers.ValidationError(_("Please accept the terms and the privacy notice."))
        return value

    def service_kwargs(self) -> dict:
        """The validated input as keyword arguments of ``attendee_register``."""
        data = dict(self.validated_data)
        data.pop("consent")
        region = data.pop("region")
        region_obj = self.regions.get(int(region)) if region != OTHER_REGION else None
        data["region_id"] = region_obj.pk if region_obj else None
        if region_obj is not None:
            data["country"] = region_obj.country
        data["language"] = data.get("language") or self.context.get("language") or "en"
        return data
