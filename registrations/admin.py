from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from eventhub.core.admin import (
    AuditTrailAdmin,
    CapacityForm,
    EventScopedAdmin,
    ServiceDeleteAdmin,
    door_refusal_as_403,
    organized_event_ids,
)
from registrations import training_tasks
from registrations.exceptions import NotCheckedIn
from registrations.models import (
    Attendee,
    CheckIn,
    ScanLog,
    Ticket,
    TrainingBooking,
    TrainingModule,
    TrainingSession,
)
from registrations.selectors.access import access_attendee_personal_data, access_attendee_rows
from registrations.selectors.training import (
    training_bookings_active,
    training_sessions_not_cancellable,
)
from registrations.services.attendees import attendee_place
from registrations.services.checkin import GATE, check_in_undo
from registrations.services.privacy import attendee_erase_on_request
from registrations.services.training import (
    training_module_delete,
    training_session_cancel,
    training_session_update,
)
from registrations.training_exceptions import SessionStarted

# What the organizer edits on a session; the capacity and times go through
# ``training_session_update`` (lock, promotion, live totals).
SESSION_FIELDS = [
    "starts_at",
    "ends_at",
    "room",
    "capacity",
    "booking_closes_minutes",
    "no_show_release_minutes",
]


def _session_save(session: TrainingSession, changed: list[str]) -> None:
    """Save an edited session through the capacity engine."""
    # The room is kept in every language (room_en, room_ro…: docs/i18n.md).
    editable = {"module", *SESSION_FIELDS, *get_translation_fields("room")}
    changes = {name: getattr(session, name) for name in changed if name in editable}
    changes.pop("capacity", None)
    training_session_update(session_id=session.pk, capacity=session.capacity, **changes)


class TicketInline(admin.StackedInline):
    model = Ticket
    can_delete = False
    readonly_fields = ["code", "created_at"]
    extra = 0


class AttendeeChangeList(ChangeList):
    """The admin's list of people: the page shown is read through the door
    (role check per event, one audit row per event listed)."""

    def get_results(self, request):
        super().get_results(request)
        with door_refusal_as_403():
            self.result_list = access_attendee_rows(
                user=request.user, rows=self.result_list, purpose="admin list"
            )


@admin.register(Attendee)
class AttendeeAdmin(ServiceDeleteAdmin, EventScopedAdmin):
    """People. "Delete" (one person or "delete selected") erases them
    through ``attendee_erase_on_request``, as the organizer's people page
    does (docs/privacy.md): places freed, people waiting promoted, the
    ``erase`` audit row written; the anonymous row stays for the counts."""

    list_display = [
        "last_name",
        "first_name",
        "email",
        "event",
        "category",
        "region",
        "status",
        "created_at",
    ]
    list_filter = ["event", "status", "category", "source", "needs_transport", "region"]
    search_fields = ["first_name", "last_name", "email", "phone", "ticket__code"]
    # The status moves only through the services (the fair's places are
    # counted on the event row): confirmed while there is room, waitlisted
    # after, cancelled from the ticket page or the organizer's screens.
    readonly_fields = ["status", "terms_accepted_at", "created_at", "confirmed_at", "cancelled_at"]
    list_select_related = ["event", "region"]
    inlines = [TicketInline]
    service_delete_title = _("Erase people")
    service_delete_action = _("Erase the selected people")
    service_delete_button = _("Yes, erase")
    service_delete_help = _(
        "Deleting a person erases them, as the organizer's people page does. Before the "
        "fair ends, their registration, training seats, screening appointments and queue "
        "places are cancelled first: the places go to the people waiting, who are told by "
        "e-mail. Then their name, e-mail, phone, accessibility notes and screening answers "
        "are wiped everywhere and their ticket stops working. Category, region, dates and "
        "statuses stay, so the programme's totals do not change. This cannot be undone."
    )
    fieldsets = [
        (None, {"fields": ["event", "status", "source"]}),
        (
            _("Person"),
            {"fields": ["first_name", "last_name", "email", "phone", "language", "gender"]},
        ),
        (_("Origin"), {"fields": ["country", "region", "category"]}),
        (_("Needs"), {"fields": ["accessibility_needs", "needs_transport"]}),
        (
            _("History"),
            {"fields": ["terms_accepted_at", "created_at", "confirmed_at", "cancelled_at"]},
        ),
    ]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            attendee_place(attendee=obj)

    def get_changelist(self, request, **kwargs):
        return AttendeeChangeList

    def _person(self, request, object_id) -> Attendee | None:
        """The person an object page (change, history) would show, or None
        when the admin answers without showing anybody (not found: the
        user's rows are their fairs' people; no permission)."""
        attendee = self.get_object(request, unquote(object_id))
        if attendee is None or not self.has_view_or_change_permission(request, attendee):
            return None
        return attendee

    # The pages below name people: each asks the door first (the role check
    # and the audit row), then the admin renders the page itself.

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if (attendee := self._person(request, object_id)) is not None:
            with door_refusal_as_403():
                access_attendee_personal_data(
                    user=request.user,
                    event_id=attendee.event_id,
                    attendee_id=attendee.pk,
                    purpose="admin page",
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        if (attendee := self._person(request, object_id)) is not None:
            with door_refusal_as_403():
                access_attendee_personal_data(
                    user=request.user,
                    event_id=attendee.event_id,
                    attendee_id=attendee.pk,
                    purpose="admin history page",
                )
        return super().history_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        # The delete confirmation (one person, or the "delete selected"
        # action) lists the people by name.
        with door_refusal_as_403():
            access_attendee_rows(user=request.user, rows=objs, purpose="admin delete page")
        return super().get_deleted_objects(objs, request)

    def delete_through_service(self, request, obj) -> bool:
        if obj.erased_at is not None:
            return False
        attendee_erase_on_request(attendee_id=obj.pk, user=request.user)
        return True

    def service_delete_message(self, done: int) -> str:
        return ngettext(
            "%(count)d person erased. The counts for the programme report are kept.",
            "%(count)d people erased. The counts for the programme report are kept.",
            done,
        ) % {"count": done}

    def service_delete_skipped(self, skipped: int) -> str:
        return ngettext(
            "%(count)d was erased already.", "%(count)d were erased already.", skipped
        ) % {"count": skipped}


# --- Training -----------------------------------------------------------------


def _booked_people(**lookup) -> list[Attendee]:
    """The people of the bookings matching ``lookup``, for the door: a
    booking's name is its attendee's."""
    bookings = TrainingBooking.objects.filter(**lookup).select_related("attendee")
    return [booking.attendee for booking in bookings]


def _people_told(request, purpose: str, **sessions) -> dict[int, list[str]]:
    """Whom cancelling the sessions tells (``training_bookings_active``
    takes ``session_ids`` or ``module_ids``), read through the door: per
    session, "name — seat" or "name — waiting list"."""
    bookings = training_bookings_active(**sessions)
    with door_refusal_as_403():
        access_attendee_rows(
            user=request.user, rows=[b.attendee for b in bookings], purpose=purpose
        )
    told: dict[int, list[str]] = {}
    for booking in bookings:
        told.setdefault(booking.session_id, []).append(
            f"{booking.attendee} — {booking.get_status_display()}"
        )
    return told


def _session_rows(sessions, told: dict[int, list[str]]) -> list:
    """A session, then (nested) the people booked on it, for the page's list."""
    rows: list = []
    for session in sessions:
        rows.append(str(session))
        if told.get(session.pk):
            rows.append(told[session.pk])
    return rows


def _not_cancellable(**sessions) -> list[str]:
    """The sessions that have started with people booked, one line each."""
    return [
        ngettext(
            "%(session)s: it has started, and %(count)d person is booked on it.",
            "%(session)s: it has started, and %(count)d people are booked on it.",
            count,
        )
        % {"session": session, "count": count}
        for session, count in training_sessions_not_cancellable(**sessions)
    ]


SESSION_CANCEL_REFUSED = _(
    "A session that has started is not cancelled or deleted while people are booked "
    "on it: its roster, check-ins and certificates are the record of it."
)


class TrainingSessionFormSet(BaseInlineFormSet):
    """The module page's sessions: a session ticked for deletion is cancelled
    (``training_session_cancel``), which refuses one that has started with
    people booked; the form says so instead."""

    def clean(self):
        super().clean()
        doomed = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        refused = _not_cancellable(session_ids=doomed) if doomed else []
        if refused:
            raise ValidationError([SESSION_CANCEL_REFUSED, *refused])


class TrainingSessionInline(TranslationTabularInline):
    model = TrainingSession
    form = CapacityForm
    formset = TrainingSessionFormSet
    extra = 0
    fields = [*SESSION_FIELDS[:4], "booked_count", *SESSION_FIELDS[4:]]
    readonly_fields = ["booked_count"]


def _cancelled_message(session: str, told: int) -> str:
    return ngettext(
        "The session %(session)s was cancelled and deleted; the %(count)d person booked "
        "on it is being told by e-mail.",
        "The session %(session)s was cancelled and deleted; the %(count)d people booked "
        "on it are being told by e-mail.",
        told,
    ) % {"session": session, "count": told}


@admin.register(TrainingModule)
class TrainingModuleAdmin(ServiceDeleteAdmin, TranslationAdmin, EventScopedAdmin):
    """Training modules, their sessions inline. Deleting a module, or a
    session on its page, cancels the sessions first
    (``training_module_delete``, ``training_session_cancel``): everyone
    booked is e-mailed in their language, then the rows go (docs/training.md)."""

    list_display = ["title", "event", "language", "session_count"]
    list_filter = ["event"]
    search_fields = get_translation_fields("title", "trainers")
    inlines = [TrainingSessionInline]
    service_delete_keeps_rows = False
    service_delete_title = _("Delete training modules")
    service_delete_action = _("Delete the selected modules, cancelling their sessions")
    service_delete_button = _("Yes, cancel the sessions and delete")
    service_delete_help = _(
        "Deleting a training module cancels each of its sessions first: everyone booked "
        "on them, with a seat or on a waiting list, is told by e-mail in their own "
        "language that the session is cancelled, and the live screens drop it. Then the "
        "module, its sessions and their bookings are deleted; the audit log keeps the "
        "count of people told. This cannot be undone."
    )
    service_delete_refused_help = SESSION_CANCEL_REFUSED

    @admin.display(description=_("sessions"))
    def session_count(self, module):
        return module.sessions.count()

    def get_deleted_objects(self, objs, request):
        # The confirmation lists each module's sessions and whom cancelling
        # them tells, by name (through the door).
        modules = list(objs)
        told = _people_told(
            request,
            "admin delete page of training modules",
            module_ids=[module.pk for module in modules],
        )
        by_module: dict[int, list] = {}
        for session in TrainingSession.objects.filter(module__in=modules).select_related("module"):
            by_module.setdefault(session.module_id, []).append(session)
        rows: list = []
        for module in modules:
            rows.append(str(module))
            if sessions := _session_rows(by_module.get(module.pk, []), told):
                rows.append(sessions)
        refused = self.service_delete_refusals(request, modules)
        return rows, {self.opts.verbose_name_plural: len(modules)}, set(), refused

    def service_delete_refusals(self, request, rows) -> list[str]:
        return _not_cancellable(module_ids=[module.pk for module in rows])

    def delete_through_service(self, request, obj) -> bool:
        training_module_delete(module_id=obj.pk, user=request.user)
        return True

    def service_delete_message(self, done: int) -> str:
        return ngettext(
            "%(count)d training module deleted. Its sessions were cancelled first; "
            "everyone booked on them is being told by e-mail.",
            "%(count)d training modules deleted. Their sessions were cancelled first; "
            "everyone booked on them is being told by e-mail.",
            done,
        ) % {"count": done}

    def save_formset(self, request, form, formset, change):
        if formset.model is not TrainingSession:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for session in formset.deleted_objects:
            label = str(session)
            try:
                with door_refusal_as_403(), transaction.atomic():
                    told = training_session_cancel(session_id=session.pk, user=request.user)
            except SessionStarted as exc:
                # Started between the form's check and this save: it stays.
                self.message_user(request, f"{label}: {exc.message}", messages.ERROR)
                continue
            if told:
                self.message_user(request, _cancelled_message(label, told), messages.WARNING)
        for session in formset.new_objects:
            session.save()
        for session, changed in formset.changed_objects:
            _session_save(session, changed)
        return None


class TrainingBookingInline(admin.TabularInline):
    """The roster: read-only, since bookings change only through the services."""

    model = TrainingBooking
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["attendee", "status", "walk_in", "created_at", "checked_in_at", "certificate_link"]
    readonly_fields = fields
    ordering = ["status", "created_at"]

    @admin.display(description=_("certificate"))
    def certificate_link(self, booking):
        certificate = getattr(booking, "certificate", None)
        if certificate is None:
            return "—"
        return format_html('<a href="{}">{}</a>', certificate.get_absolute_url(), certificate)


@admin.register(TrainingSession)
class TrainingSessionAdmin(ServiceDeleteAdmin, TranslationAdmin, EventScopedAdmin):
    """Training sessions. "Delete" (one, or "delete selected") cancels the
    session through ``training_session_cancel``: everyone booked is
    e-mailed in their language, then it is deleted (docs/training.md)."""

    event_field = "module__event"
    list_display = ["module", "starts_at", "ends_at", "room", "capacity", "booked_count", "roster"]
    list_filter = ["module__event", "module"]
    list_select_related = ["module", "module__event"]
    readonly_fields = ["booked_count"]
    form = CapacityForm
    inlines = [TrainingBookingInline]
    actions = ["issue_certificates"]
    service_delete_keeps_rows = False
    service_delete_title = _("Cancel training sessions")
    service_delete_action = _("Cancel and delete the selected sessions")
    service_delete_button = _("Yes, cancel and delete")
    service_delete_help = _(
        "Deleting a training session cancels it: everyone booked on it, with a seat or "
        "on the waiting list, is told by e-mail in their own language that the session "
        "is cancelled, and the live screens drop it. Then the session and its bookings "
        "are deleted; the audit log keeps the count of people told. This cannot be undone."
    )
    service_delete_refused_help = SESSION_CANCEL_REFUSED

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "module" and not request.user.is_superuser:
            kwargs["queryset"] = TrainingModule.objects.filter(
                event_id__in=organized_event_ids(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            _session_save(obj, form.changed_data)
        else:
            super().save_model(request, obj, form, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        session = self.get_object(request, unquote(object_id))
        if session is not None and self.has_view_or_change_permission(request, session):
            # The bookings inline names the people: the role check and the
            # audit row here, the inline renders them.
            with door_refusal_as_403():
                access_attendee_rows(
                    user=request.user,
                    rows=_booked_people(session=session),
                    purpose=f"admin training session {session.pk}",
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_deleted_objects(self, objs, request):
        # The confirmation lists whom cancelling the sessions tells, by name
        # (through the door).
        sessions = list(objs)
        told = _people_told(
            request,
            "admin delete page of training sessions",
            session_ids=[session.pk for session in sessions],
        )
        refused = self.service_delete_refusals(request, sessions)
        rows = _session_rows(sessions, told)
        return rows, {self.opts.verbose_name_plural: len(sessions)}, set(), refused

    def service_delete_refusals(self, request, rows) -> list[str]:
        return _not_cancellable(session_ids=[session.pk for session in rows])

    def delete_through_service(self, request, obj) -> bool:
        training_session_cancel(session_id=obj.pk, user=request.user)
        return True

    def service_delete_message(self, done: int) -> str:
        return ngettext(
            "%(count)d training session cancelled and deleted. Everyone booked on it is "
            "being told by e-mail.",
            "%(count)d training sessions cancelled and deleted. Everyone booked on them is "
            "being told by e-mail.",
            done,
        ) % {"count": done}

    @admin.display(description=_("roster and door check-in"))
    def roster(self, session):
        url = reverse("staff-training-roster", args=[session.module.event.slug, session.pk])
        return format_html('<a href="{}">{}</a>', url, _("open"))

    @admin.action(description=_("Issue certificates to everyone checked in"))
    def issue_certificates(self, request, queryset):
        for session in queryset.select_related("module__event"):
            training_tasks.issue_session_certificates.enqueue(session.pk)
            url = reverse("staff-training-roster", args=[session.module.event.slug, session.pk])
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Certificates are being issued for %(session)s.") % {"session": session},
                    url,
                    _("Follow the progress"),
                ),
                messages.SUCCESS,
            )


# --- Check-in -----------------------------------------------------------------


class CheckInChangeList(ChangeList):
    """The admin's list of check-ins shows ticket codes, no names; a search
    matches the holders' names and e-mails, so the people a search lists
    are read through the door (role check per event, one audit row per
    event)."""

    def get_results(self, request):
        super().get_results(request)
        if self.query:
            with door_refusal_as_403():
                access_attendee_rows(
                    user=request.user,
                    rows=[check_in.ticket.attendee for check_in in self.result_list],
                    purpose="admin check-in search",
                )


@admin.register(CheckIn)
class CheckInAdmin(ServiceDeleteAdmin, EventScopedAdmin):
    """Admissions. "Delete" (one, or "delete selected") undoes a gate
    admission through ``check_in_undo``, as the organizer's undo at the gate
    does: the scan log's ``undone`` row (the admission's time and gate, who
    undid it), the live totals told, and the ticket admissible again. A
    training session's door keeps its admissions: the booking holds it too
    (certificates), and no service undoes it."""

    list_display = ["checked_in_at", "ticket", "event", "target", "gate", "method", "checked_in_by"]
    list_filter = ["event", "target", "gate", "method"]
    search_fields = ["ticket__code", "ticket__attendee__last_name", "ticket__attendee__email"]
    list_select_related = ["event", "ticket__attendee", "checked_in_by"]
    # A superuser's add form: a ticket's id, not a list of every code.
    raw_id_fields = ["ticket"]
    service_delete_title = _("Undo admissions")
    service_delete_action = _("Undo the selected admissions")
    service_delete_button = _("Yes, undo them")
    service_delete_help = _(
        "Deleting a check-in undoes the admission, as the undo at the gate does: the "
        "person is no longer counted as inside and can be admitted again, and the scan "
        "log keeps a “Check-in undone” entry with the time and gate of the admission and "
        "who undid it. Check-ins at a training session's door are left as they are."
    )

    def get_changelist(self, request, **kwargs):
        return CheckInChangeList

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in CheckIn._meta.fields] if obj else []

    def has_add_permission(self, request):
        # Admissions go through the check-in service (lock, log, broadcast);
        # only a superuser may repair data by hand.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.target != GATE.key:
            return False  # a training door's admission: see the class docstring
        return super().has_delete_permission(request, obj)

    def delete_through_service(self, request, obj) -> bool:
        if obj.target != GATE.key:
            return False
        try:
            check_in_undo(
                event_id=obj.event_id,
                ticket_code=obj.ticket.code,
                user=request.user,
                reason="undone in the admin",
            )
        except NotCheckedIn:  # undone meanwhile
            return False
        return True

    def service_delete_message(self, done: int) -> str:
        if not done:
            return str(_("No admission was undone."))
        return ngettext(
            "%(count)d admission undone: the person can be admitted again.",
            "%(count)d admissions undone: these people can be admitted again.",
            done,
        ) % {"count": done}

    def service_delete_skipped(self, skipped: int) -> str:
        return ngettext(
            "%(count)d was left as it was: a training door's admission, or undone already.",
            "%(count)d were left as they were: training doors' admissions, or undone already.",
            skipped,
        ) % {"count": skipped}


@admin.register(ScanLog)
class ScanLogAdmin(AuditTrailAdmin):
    # ``local_result``: what an offline phone showed (blank for online scans);
    # "ok" beside a server's "already_checked_in" is a double entry.
    list_display = [
        "scanned_at",
        "event",
        "gate",
        "device",
        "user",
        "result",
        "local_result",
        "method",
        "ticket",
    ]
    list_filter = ["event", "result", "local_result", "gate", "method"]
    search_fields = ["ticket__code", "payload", "nonce", "device"]
    list_select_related = ["event", "ticket", "user"]
    readonly_fields = [f.name for f in ScanLog._meta.fields]
