"""Input of the organizer's pages: shape and wording of errors, no rules."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventhub.core.models import Event, Kiosk, StaffRole


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        error_messages={"required": _("Enter the person's e-mail address.")},
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=StaffRole.Role.choices,
        error_messages={"required": _("Choose a role.")},
    )


class KioskForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kiosk.Kind.choices)
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        error_messages={"required": _("Give the kiosk a name, e.g. where it stands.")},
    )
    service_code = forms.ChoiceField(label=_("Screening service"), required=False)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service_code"].choices = [("", _("— none —"))] + [
            (service.code, f"{service.code} — {service.name}") for service in services
        ]

    def clean(self):
        data = super().clean()
        if data.get("kind") == Kiosk.Kind.BOARD and not data.get("service_code"):
            self.add_error("service_code", _("A queue board shows one service: choose it."))
        return data


class EventCopyForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the new fair"),
        max_length=200,
        error_messages={"required": _("Give the new fair a name.")},
    )
    slug = forms.SlugField(
        label=_("Web address (slug)"),
        max_length=80,
        help_text=_("Letters, digits and hyphens, e.g. cooperation-day-2027."),
        error_messages={
            "required": _("Choose the web address of the new fair."),
            "invalid": _("Use only letters, digits and hyphens."),
        },
    )
    starts_on = forms.DateField(
        label=_("Date of the new fair"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose the date of the new fair."),
            "invalid": _("Enter a date such as 2027-05-21."),
        },
    )

    def clean_slug(self):
        slug = self.cleaned_data["slug"].lower()
        if Event.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another fair already uses this address."))
        return slug

    def clean_starts_on(self):
        day = self.cleaned_data["starts_on"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose a date that is not in the past."))
        return day
