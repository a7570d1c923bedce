"""HTML forms of screenings: booking (built from the service's rules) and walk-ins."""

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eventhub.core.models import Region
from registrations.models import Attendee
from screenings.models import FLAG_LABELS, Service

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class BookingForm(forms.Form):
    """Slot, eligibility answers and the separate health-data consent."""

    def __init__(self, *args, service: Service, slots, tz, **kwargs):
        super().__init__(*args, **kwargs)
        self.service = service
        choices = []
        with timezone.override(tz):
            several_days = len({timezone.localdate(s.starts_at) for s in slots}) > 1
            for slot in slots:
                start = timezone.localtime(slot.starts_at)
                free = ngettext("%(free)s place free", "%(free)s places free", slot.free) % {
                    "free": slot.free
                }
                label = "{}–{} · {}".format(
                    formats.time_format(start, "H:i"),
                    formats.time_format(timezone.localtime(slot.ends_at), "H:i"),
                    free,
                )
                if several_days:
                    label = f"{formats.date_format(start, 'SHORT_DATE_FORMAT')} {label}"
                choices.append((str(slot.pk), label))
        self.fields["slot"] = forms.ChoiceField(
            label=_("Time"), choices=choices, widget=forms.RadioSelect
        )
        if service.needs_age:
            self.fields["age"] = forms.IntegerField(label=_("Your age"), min_value=0, max_value=130)
        if service.sex:
            self.fields["sex"] = forms.ChoiceField(
                label=_("Sex"),
                choices=[("female", _("Female")), ("male", _("Male"))],
                widget=forms.RadioSelect,
            )
        self.question_keys = []
        for question in service.questions.all():
            name = f"q_{question.key}"
            self.question_keys.append((name, question.key))
            self.fields[name] = forms.ChoiceField(
                label=question.text, choices=YES_NO, widget=forms.RadioSelect
            )
        self.fields["health_consent"] = forms.BooleanField(
            label=_(
                "I agree that my answers and my appointment (health data) are stored for this "
                "screening and seen only by me, the screening doctors and the organizers. I can "
                "cancel and have them erased at any time."
            ),
            required=True,
            error_messages={"required": _("Please agree to book a screening.")},
        )

    def answers(self) -> dict:
        return {key: self.cleaned_data[name] for name, key in self.question_keys}

    def question_fields(self):
        return [self[name] for name, _key in self.question_keys]


class QueueJoinForm(forms.Form):
    """Staff adding a person to a queue: a scanned/typed ticket or a walk-in."""

    ticket = forms.CharField(label=_("Ticket code or QR text"), required=False, max_length=200)
    first_name = forms.CharField(label=_("First name (walk-in)"), required=False, max_length=100)
    region = forms.ModelChoiceField(
        label=_("Comes from"), queryset=Region.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=Attendee.Category.choices, initial="citizen"
    )
    flags = forms.MultipleChoiceField(
        label=_("Flags"),
        choices=list(FLAG_LABELS.items())[:3],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, programme_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.filter(programme_id=programme_id)

    def clean(self):
        data = super().clean()
        if bool(data.get("ticket")) == bool(data.get("first_name")):
            raise forms.ValidationError(
                _("Scan or type a ticket, or give the first name of a walk-in (not both).")
            )
        return data
