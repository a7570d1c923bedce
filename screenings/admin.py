"""Admin for organizers: services with stations and questions, one-click slot
generation, appointments and queues (read-mostly), and the access log.

Edits that boards and bookings depend on go through the services: a
station's open/closed (``station_set_open``: queue lock, ``seq``, board
broadcast), a slot's capacity (``slot_update``: slot lock, promotion of
people waiting, live totals), and "Delete" of an appointment or a queue
entry, which cancels it (``appointment_cancel``, ``queue_entry_cancel``)
and keeps the row for the screening figures."""

import datetime as dt
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from eventhub.core.admin import (
    AuditTrailAdmin,
    CapacityForm,
    EventScopedAdmin,
    ServiceDeleteAdmin,
    changed_values,
    door_refusal_as_403,
    organized_event_ids,
)
from eventhub.core.models import StaffRole
from screenings.exceptions import AppointmentNotActive, InvalidTransition
from screenings.models import (
    Appointment,
    EligibilityQuestion,
    HealthDataAccess,
    QueueEntry,
    Service,
    Slot,
    Station,
)
from screenings.selectors.access import (
    access_appointment,
    access_appointment_rows,
    access_queue_entry,
)
from screenings.services.appointments import appointment_cancel
from screenings.services.queue import queue_entry_cancel, station_set_open
from screenings.services.slots import slot_update, slots_generate


def _station_save(save, station: Station, changed: list[str]) -> None:
    """Save a station with ``save``; open/closed goes through ``station_set_open``.

    The other fields are saved with the value ``is_open`` had, then the
    service switches it under the queue lock and tells the boards.
    """
    if station.pk is None or "is_open" not in changed:
        save()
        return
    wanted = station.is_open
    station.is_open = not wanted
    save()
    station_set_open(station_id=station.pk, is_open=wanted)
    station.is_open = wanted


def doctor_choices(request):
    """Users with the doctor role at events the user organizes (all for superusers)."""
    roles = StaffRole.objects.filter(role=StaffRole.Role.DOCTOR)
    if not request.user.is_superuser:
        roles = roles.filter(event_id__in=organized_event_ids(request.user))
    return get_user_model().objects.filter(pk__in=roles.values("user_id")).order_by("username")


class StationInline(TranslationTabularInline):
    model = Station
    extra = 0
    fields = ["name", "room", "doctors", "is_open", "position"]
    filter_horizontal = ["doctors"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "doctors":
            kwargs["queryset"] = doctor_choices(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class QuestionInline(TranslationTabularInline):
    model = EligibilityQuestion
    extra = 0
    fields = ["position", "key", "text", "exclude_if", "exclusion_reason", "flag_if", "flag"]


class GenerateSlotsForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    duration_minutes = forms.IntegerField(label=_("Minutes per person"), min_value=1, max_value=480)
    stations = forms.IntegerField(
        label=_("Stations working in parallel (people per slot)"), min_value=1, max_value=50
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] <= data["start"]:
            raise forms.ValidationError(_("The end must be after the start."))
        return data


class ServiceScopedAdmin(EventScopedAdmin):
    """For models hanging off a service: scope rows and service choices."""

    event_field = "service__event"

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "service" and not request.user.is_superuser:
            kwargs["queryset"] = Service.objects.filter(
                event_id__in=organized_event_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Service)
class ServiceAdmin(TranslationAdmin, EventScopedAdmin):
    list_display = ["code", "name", "event", "duration_minutes", "station_count", "slot_count"]
    list_filter = ["event"]
    search_fields = [*get_translation_fields("name"), "code"]
    inlines = [StationInline, QuestionInline]
    actions = ["generate_slots"]
    fieldsets = [
        (None, {"fields": ["event", "code", "name", "provider", "position"]}),
        (_("For the attendee"), {"fields": ["description", "preparation", "duration_minutes"]}),
        (_("Eligibility"), {"fields": ["min_age", "max_age", "sex"]}),
        (_("Slots"), {"fields": ["waitlist"]}),
    ]

    def save_formset(self, request, form, formset, change):
        if formset.model is not Station:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for station in formset.deleted_objects:
            station.delete()
        for station in formset.new_objects:
            station.save()
        for station, changed in formset.changed_objects:
            _station_save(station.save, station, changed)
        formset.save_m2m()
        return None

    def get_deleted_objects(self, objs, request):
        # Appointments hold their slot with RESTRICT, so that a whole fair
        # (a superuser's delete) takes them along; a service alone keeps
        # them, as PROTECT did: they are cancelled, never deleted.
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        booked = Appointment.objects.filter(service__in=list(objs)).select_related("slot__service")
        protected = [*protected, *(f"{capfirst(a._meta.verbose_name)}: {a}" for a in booked)]
        return deleted, model_count, perms_needed, protected

    @admin.display(description=_("stations"))
    def station_count(self, service):
        return service.stations.count()

    @admin.display(description=_("slots"))
    def slot_count(self, service):
        return service.slots.count()

    @admin.action(description=_("Generate slots for the selected services"))
    def generate_slots(self, request, queryset):
        services = list(queryset.select_related("event"))
        first = services[0]
        tz = ZoneInfo(first.event.timezone)
        if "apply" in request.POST:
            form = GenerateSlotsForm(request.POST)
            if form.is_valid():
                total = 0
                for service in services:
                    total += len(slots_generate(service_id=service.pk, **form.cleaned_data))
                self.message_user(
                    request,
                    ngettext("%(n)d slot created.", "%(n)d slots created.", total) % {"n": total},
                    messages.SUCCESS,
                )
                return None
        else:
            starts = first.event.starts_at.astimezone(tz)
            ends = first.event.ends_at.astimezone(tz)
            form = GenerateSlotsForm(
                initial={
                    "day": starts.date(),
                    "start": starts.time().replace(second=0, microsecond=0),
                    "end": ends.time().replace(second=0, microsecond=0) or dt.time(23, 59),
                    "duration_minutes": first.duration_minutes,
                    "stations": max(1, first.stations.count()),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Generate slots"),
            "services": services,
            "form": form,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "timezone": first.event.timezone,
        }
        return TemplateResponse(request, "admin/screenings/generate_slots.html", context)


@admin.register(Station)
class StationAdmin(TranslationAdmin, ServiceScopedAdmin):
    list_display = ["name", "service", "room", "is_open"]
    list_filter = ["service__event", "is_open"]
    filter_horizontal = ["doctors"]
    actions = ["pause_stations", "reopen_stations"]

    def save_model(self, request, obj, form, change):
        _station_save(
            lambda: super(StationAdmin, self).save_model(request, obj, form, change),
            obj,
            form.changed_data if change else [],
        )

    def _set_open(self, request, queryset, is_open: bool) -> None:
        for station_id in queryset.order_by("pk").values_list("pk", flat=True):
            station_set_open(station_id=station_id, is_open=is_open)

    @admin.action(description=_("Pause the selected stations"))
    def pause_stations(self, request, queryset):
        self._set_open(request, queryset, False)

    @admin.action(description=_("Reopen the selected stations"))
    def reopen_stations(self, request, queryset):
        self._set_open(request, queryset, True)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "doctors":
            kwargs["queryset"] = doctor_choices(request)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(Slot)
class SlotAdmin(ServiceScopedAdmin):
    list_display = ["service", "starts_at", "ends_at", "capacity", "booked_count"]
    list_filter = ["service__event", "service"]
    date_hierarchy = "starts_at"
    readonly_fields = ["booked_count", "seq"]
    form = CapacityForm

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        changes = changed_values(obj, form, exclude=("capacity",))
        slot_update(slot_id=obj.pk, capacity=obj.capacity, **changes)
        return None


class AppointmentChangeList(ChangeList):
    """The admin's list of appointments names who booked which screening
    (health data): the page shown is read through the screenings door (role
    check per event, one health-log row per service listed)."""

    def get_results(self, request):
        super().get_results(request)
        with door_refusal_as_403():
            self.result_list = access_appointment_rows(
                user=request.user, rows=self.result_list, purpose="admin list"
            )


@admin.register(Appointment)
class AppointmentAdmin(ServiceDeleteAdmin, ServiceScopedAdmin):
    list_display = ["attendee", "service", "slot", "status", "referral_recommended"]
    list_filter = ["service__event", "service", "status"]
    search_fields = ["attendee__last_name", "attendee__email"]
    list_select_related = ["attendee", "service", "slot__service"]
    readonly_fields = [
        "slot",
        "service",
        "attendee",
        "status",
        "health_consent_at",
        "answers",
        "age",
        "sex",
        "flags",
        "created_at",
        "cancelled_at",
        "reminder_sent_at",
    ]
    fields = [*readonly_fields, "referral_recommended", "note"]
    service_delete_title = _("Cancel appointments")
    service_delete_action = _("Cancel the selected appointments")
    service_delete_button = _("Yes, cancel them")
    service_delete_help = _(
        "Deleting an appointment cancels it: its place in the slot goes to the first "
        "person on the slot's waiting list, who is told by e-mail, and its eligibility "
        "answers are wiped. The cancelled appointment stays for the screening figures; "
        "appointments no longer active are left as they are."
    )

    def delete_through_service(self, request, obj) -> bool:
        if not obj.is_active:
            return False
        try:
            appointment_cancel(appointment_id=obj.pk, user=request.user)
        except AppointmentNotActive:  # cancelled meanwhile
            return False
        return True

    def service_delete_message(self, done: int) -> str:
        return ngettext(
            "%(count)d appointment cancelled.", "%(count)d appointments cancelled.", done
        ) % {"count": done}

    def has_add_permission(self, request):
        # Booked by the attendee through the services; only a superuser may
        # add one by hand.
        return request.user.is_superuser

    def get_changelist(self, request, **kwargs):
        return AppointmentChangeList

    def change_view(self, request, object_id, form_url="", extra_context=None):
        appointment = self.get_object(request, unquote(object_id))
        if appointment is not None:
            # Only the audit row and the role check: the admin renders the form.
            with door_refusal_as_403():
                access_appointment(
                    user=request.user,
                    appointment_id=appointment.pk,
                    what=f"appointment {appointment.pk} (admin)",
                )
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(QueueEntry)
class QueueEntryAdmin(ServiceDeleteAdmin, EventScopedAdmin):
    event_field = "queue__service__event"
    service_delete_title = _("Take people out of the queue")
    service_delete_action = _("Take the selected people out of the queue")
    service_delete_button = _("Yes, take them out")
    service_delete_help = _(
        "Deleting a queue entry takes the person out of the queue, as when they leave: "
        "the boards and the doctors' consoles update at once. Entries being examined, "
        "done, missed or cancelled are left as they are: they are the screening figures."
    )
    list_display = ["label", "kind", "status", "station", "joined_at", "called_at", "finished_at"]
    list_filter = ["queue__service__event", "queue__service", "status", "kind"]
    list_select_related = ["queue__service", "station"]
    # A superuser's form: the person's id, not a list of every name.
    raw_id_fields = ["attendee", "appointment"]

    def has_add_permission(self, request):
        return request.user.is_superuser  # entries come from the queue services

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, unquote(object_id))
        if entry is not None:
            # Only the role check and the audit row: the admin renders the page.
            with door_refusal_as_403():
                access_queue_entry(
                    user=request.user, entry_id=entry.pk, what=f"queue entry {entry.pk} (admin)"
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def delete_through_service(self, request, obj) -> bool:
        if obj.status not in (QueueEntry.Status.WAITING, QueueEntry.Status.CALLED):
            return False
        # Every action on a queue entry asks the door first (role, health log).
        access_queue_entry(
            user=request.user, entry_id=obj.pk, what=f"queue entry {obj.pk} (admin: taken out)"
        )
        try:
            queue_entry_cancel(entry_id=obj.pk)
        except InvalidTransition:  # called in or cancelled meanwhile
            return False
        return True

    def service_delete_message(self, done: int) -> str:
        return ngettext(
            "%(count)d person taken out of the queue.",
            "%(count)d people taken out of the queue.",
            done,
        ) % {"count": done}


@admin.register(HealthDataAccess)
class HealthDataAccessAdmin(AuditTrailAdmin):
    list_display = ["at", "actor", "user", "action", "what", "attendee_id"]
    list_filter = ["event", "actor", "action"]
