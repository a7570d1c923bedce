"""Admin for organizers: events, programme areas, staff and kiosks.

Organizers are staff users in the "Organizers" group (``add_staff`` puts them
there); they see only the events they organize. ``EventScopedAdmin`` gives the
same scoping to every model that belongs to an event, in its rows, its event
choices and its list filters. Programmes and regions are shared by every
fair: organizers read them, only a superuser changes them. Audit trails (the
scan log, the personal- and health-data logs) are append-only for everyone.

Deleting (docs/privacy.md, "Deleting in the admin"): a row that holds a
person or a place is never deleted by the admin's SQL; its "Delete" runs the
app's service (``ServiceDeleteAdmin``). A fair is deleted through
``event_delete``: one that has people only by a superuser, and its
confirmation page counts what goes, never names it.
"""

from contextlib import contextmanager

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.options import IS_POPUP_VAR
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import NestedObjects, get_fields_from_path, model_ngettext
from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from modeltranslation.utils import get_translation_fields

from eventhub.core import capacity
from eventhub.core.exceptions import PermissionDenied as NotAllowed
from eventhub.core.models import AuditLog, Event, Kiosk, Programme, Region, StaffRole
from eventhub.core.selectors import event_delete_blockers
from eventhub.core.services import event_delete


def organized_event_ids(user):
    return StaffRole.objects.filter(user=user, role=StaffRole.Role.ORGANIZER).values("event_id")


@contextmanager
def door_refusal_as_403():
    """An ``access_*`` door's refusal, raised inside, as the admin's 403."""
    try:
        yield
    except NotAllowed as exc:
        raise PermissionDenied from exc


def changed_values(obj, form, *, exclude=()) -> dict:
    """The plain (non many-to-many) fields ``form`` changed on ``obj``, by name."""
    concrete = {field.name for field in obj._meta.concrete_fields}
    return {
        name: getattr(obj, name)
        for name in form.changed_data
        if name in concrete and name not in exclude
    }


class CapacityForm(forms.ModelForm):
    """An admin form of a row owning places (the fair, a training session, a
    screening slot): a capacity below the places taken is a form error.

    The row is locked while checking (``Pool.hold``) and stays locked until
    the admin's transaction (around every change form) ends, so a booking
    made meanwhile waits and then finds the new capacity: the save
    (``Pool.resize``) cannot meet more places taken than the check did.
    """

    def clean(self):
        data = super().clean()
        capacity_field = "capacity"
        if self.instance.pk is None or data.get(capacity_field) is None:
            return data
        pool = capacity.pool_for(type(self.instance))
        taken = pool.hold(self.instance.pk)
        # The model's own clean() compares with the counter: the fresh one.
        setattr(self.instance, pool.count_field, taken)
        if data[capacity_field] < taken:
            self.add_error(capacity_field, capacity.below_taken_message(taken))
        return data


class EventScopedAdmin(admin.ModelAdmin):
    """Limit rows (and event choices) to the events the user organizes."""

    event_field = "event"

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(**{f"{self.event_field}__in": organized_event_ids(request.user)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "event" and not request.user.is_superuser:
            kwargs["queryset"] = Event.objects.filter(pk__in=organized_event_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_filter(self, request):
        """Filters by a relation offer only what the user's rows point at.

        Django's filter by event lists every event of the database; an
        organizer must not even learn the names of other fairs (or of their
        services and modules).
        """
        filters = super().get_list_filter(request)
        if request.user.is_superuser:
            return filters
        return [_related_only(self.model, item) for item in filters]


def _related_only(model, item):
    if not isinstance(item, str):
        return item
    if get_fields_from_path(model, item)[-1].is_relation:
        return (item, admin.RelatedOnlyFieldListFilter)
    return item


@admin.action(permissions=["delete"], description=_("Delete selected %(verbose_name_plural)s"))
def service_delete_selected(modeladmin, request, queryset):
    """The "delete selected" action of a ``ServiceDeleteAdmin``: its
    confirmation page says what the service does, then the service runs
    for each selected row. Rows the service refuses
    (``service_delete_refusals``) are shown instead, and nothing runs."""
    if request.POST.get("post") and not modeladmin.service_delete_refusals(request, queryset):
        if not modeladmin.has_delete_permission(request):
            raise PermissionDenied
        modeladmin.delete_queryset(request, queryset)
        return None  # back to the list
    deletable, model_count, perms_needed, protected = modeladmin.get_deleted_objects(
        queryset, request
    )
    context = {
        **modeladmin.admin_site.each_context(request),
        **modeladmin.service_delete_context(),
        "subtitle": None,
        "objects_name": str(model_ngettext(queryset)),
        "deletable_objects": [deletable],
        "model_count": dict(model_count).items(),
        "queryset": queryset,
        "perms_lacking": perms_needed,
        "protected": protected,
        "opts": modeladmin.opts,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, modeladmin.delete_selected_confirmation_template, context)


class ServiceDeleteAdmin(admin.ModelAdmin):
    """An admin whose "Delete" runs the app's service instead of deleting.

    A row that holds a person or a place (a registration, an appointment, a
    queue place) stays for the report's counts; the service (erasure,
    cancelling) frees the places through the capacity engine, promotes and
    e-mails the people waiting, tells the boards and writes the audit rows.
    The delete page and the "delete selected" action say what will happen
    (``service_delete_help``), list the rows themselves (nothing else is
    deleted) and end with the service's own message. The admin writes no
    "deleted" history entry: nothing was.

    Some services end by deleting the row themselves, once its people are
    told (a training session is cancelled, then deleted):
    ``service_delete_keeps_rows = False``, and each row the service acted
    on gets its "deleted" history entry. Rows the service would refuse
    (``service_delete_refusals``) make the page say why
    (``service_delete_refused_help``) and offer no button.

    Subclasses supply ``delete_through_service`` and the texts.
    """

    delete_confirmation_template = "admin/service_delete_confirmation.html"
    delete_selected_confirmation_template = "admin/service_delete_selected_confirmation.html"
    service_delete_title = _("Delete")
    service_delete_action = _("Delete selected %(verbose_name_plural)s")
    service_delete_help = ""
    service_delete_button = _("Yes, I’m sure")
    service_delete_refused_help = ""
    service_delete_keeps_rows = True

    def delete_through_service(self, request, obj) -> bool:
        """Run the service "delete" stands for on ``obj``; False when there
        was nothing left to do (already erased, no longer active)."""
        raise TypeError(f"{type(self).__name__} has no delete_through_service()")

    def service_delete_message(self, done: int) -> str:
        """What the user reads afterwards of the ``done`` rows acted on (then,
        if some were not, ``service_delete_skipped``)."""
        raise TypeError(f"{type(self).__name__} has no service_delete_message()")

    def service_delete_refusals(self, request, rows) -> list[str]:
        """Why the service would refuse some of ``rows``, one line each
        (nothing to say: none); the page shows them instead of its button."""
        return []

    def service_delete_skipped(self, skipped: int) -> str:
        return ngettext(
            "%(count)d was left as it was: there was nothing left to do.",
            "%(count)d were left as they were: there was nothing left to do.",
            skipped,
        ) % {"count": skipped}

    def service_delete_context(self) -> dict:
        return {
            "title": self.service_delete_title,
            "service_delete_help": self.service_delete_help,
            "service_delete_button": self.service_delete_button,
            "service_delete_refused_help": self.service_delete_refused_help,
        }

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            actions["delete_selected"] = (
                service_delete_selected,
                "delete_selected",
                self.service_delete_action,
            )
        return actions

    def get_deleted_objects(self, objs, request):
        # Nothing else goes: the page lists the rows the service acts on.
        rows = list(objs)
        refused = self.service_delete_refusals(request, rows)
        model_count = {self.opts.verbose_name_plural: len(rows)}
        return [str(row) for row in rows], model_count, set(), refused

    def delete_view(self, request, object_id, extra_context=None):
        extra_context = {**self.service_delete_context(), **(extra_context or {})}
        return super().delete_view(request, object_id, extra_context)

    def log_deletions(self, request, queryset):
        # Nothing is deleted; the services keep their own records.
        return []

    def delete_model(self, request, obj):
        self._delete_through_service(request, [obj])

    def delete_queryset(self, request, queryset):
        self._delete_through_service(request, list(queryset.order_by("pk")))

    def _delete_through_service(self, request, rows) -> None:
        done = 0
        # All or nothing; a door's refusal is the admin's 403.
        with transaction.atomic(using=router.db_for_write(self.model)), door_refusal_as_403():
            for row in rows:
                if not self.service_delete_keeps_rows:
                    # Before the service deletes it (a rollback takes it back).
                    super().log_deletions(request, [row])
                done += bool(self.delete_through_service(request, row))
        skipped = len(rows) - done
        text = self.service_delete_message(done)
        if skipped:
            text = f"{text} {self.service_delete_skipped(skipped)}"
        self.message_user(request, text, messages.SUCCESS if done else messages.WARNING)

    def response_delete(self, request, obj_display, obj_id):
        """Back to the list; the message is the service's (``delete_model``)."""
        if IS_POPUP_VAR in request.POST:
            return super().response_delete(request, obj_display, obj_id)
        if self.has_view_or_change_permission(request):
            url = reverse(
                f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist",
                current_app=self.admin_site.name,
            )
            filters = {"preserved_filters": self.get_preserved_filters(request), "opts": self.opts}
            url = add_preserved_filters(filters, url)
        else:
            url = reverse("admin:index", current_app=self.admin_site.name)
        return HttpResponseRedirect(url)


def deletion_summary(objs, request, admin_site):
    """``get_deleted_objects`` without a name: what deleting ``objs`` takes,
    counted by kind (the confirmation page's summary), the kinds the user
    may not delete, and the protected rows counted by kind too.

    The deleted rows of an audit trail (a fair's scan log) are not asked
    about: nobody deletes them one by one, they go with their fair.
    """
    objs = list(objs)
    if not objs:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model))
    collector.collect(objs)
    perms_needed = set()
    for model, rows in collector.model_objs.items():
        if not admin_site.is_registered(model):
            continue
        model_admin = admin_site.get_model_admin(model)
        if isinstance(model_admin, AuditTrailAdmin):
            continue
        if any(not model_admin.has_delete_permission(request, row) for row in rows):
            perms_needed.add(model._meta.verbose_name_plural)
    model_count = {
        model._meta.verbose_name_plural: len(rows) for model, rows in collector.model_objs.items()
    }
    protected_count: dict[str, int] = {}
    for row in collector.protected:
        name = capfirst(row._meta.verbose_name_plural)
        protected_count[name] = protected_count.get(name, 0) + 1
    protected = [f"{name}: {n}" for name, n in sorted(protected_count.items())]
    return [str(obj) for obj in objs], model_count, perms_needed, protected


class SuperuserEditsAdmin(admin.ModelAdmin):
    """Shared by every fair: staff read it, only a superuser changes it."""

    def get_deleted_objects(self, objs, request):
        # Every fair's people may hang on a shared row (their region): the
        # confirmation counts them, never names them.
        return deletion_summary(objs, request, self.admin_site)

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Programme)
class ProgrammeAdmin(TranslationAdmin, SuperuserEditsAdmin):
    list_display = ["name", "code"]
    # Every language's column: an organizer finds a text whatever language it is in.
    search_fields = [*get_translation_fields("name"), "code"]
    inlines = [RegionInline]


@admin.register(Region)
class RegionAdmin(SuperuserEditsAdmin):
    list_display = ["name", "country", "kind", "programme"]
    list_filter = ["programme", "country"]
    search_fields = ["name"]


class StaffRoleInline(admin.TabularInline):
    model = StaffRole
    extra = 0
    autocomplete_fields = ["user"]


class KioskInline(admin.TabularInline):
    model = Kiosk
    extra = 0
    fields = ["name", "kind", "service_code", "active", "last_seen_at"]
    readonly_fields = ["last_seen_at"]


@admin.register(Event)
class EventAdmin(TranslationAdmin, EventScopedAdmin):
    event_field = "pk"
    list_display = ["name", "city", "starts_at", "capacity", "confirmed_count", "status"]
    list_filter = ["status", "country", "programme"]
    search_fields = [*get_translation_fields("name", "city", "venue"), "slug"]
    prepopulated_fields = {"slug": ["name"]}
    date_hierarchy = "starts_at"
    inlines = [StaffRoleInline, KioskInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "status", "programme", "description"]}),
        (
            _("Place and time"),
            {"fields": ["venue", "address", "city", "country", "starts_at", "ends_at", "timezone"]},
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "capacity",
                    "confirmed_count",
                    "registration_opens_at",
                    "registration_closes_at",
                    "languages",
                    "allow_group_split",
                ]
            },
        ),
        (_("Personal data"), {"fields": ["personal_data_retention_days"]}),
        (_("Tickets"), {"fields": ["accept_hmac_tickets"]}),
    ]
    readonly_fields = ["confirmed_count"]
    form = CapacityForm
    # Counts, never names (``get_deleted_objects``).
    delete_confirmation_template = "admin/eventhub/event/delete_confirmation.html"
    delete_selected_confirmation_template = "admin/eventhub/event/delete_selected_confirmation.html"

    def get_deleted_objects(self, objs, request):
        """What deleting the fairs takes, counted by kind: Django's page
        would list every attendee, group and booking by name. A fair that
        has people is for a superuser to delete (``event_delete_blockers``):
        for anybody else its people are what they may not delete."""
        deleted, model_count, perms_needed, protected = deletion_summary(
            objs, request, self.admin_site
        )
        for event in objs:
            for label, n in event_delete_blockers(user=request.user, event_id=event.pk):
                perms_needed.add(f"{label}: {n}")
        return deleted, model_count, perms_needed, protected

    def delete_model(self, request, obj):
        with door_refusal_as_403():
            event_delete(event_id=obj.pk, user=request.user)

    def delete_queryset(self, request, queryset):
        with transaction.atomic(using=router.db_for_write(Event)), door_refusal_as_403():
            for event_id in queryset.order_by("pk").values_list("pk", flat=True):
                event_delete(event_id=event_id, user=request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            return super().save_model(request, obj, form, change)
        # An edit goes through the fair's capacity pool (registered by the
        # registrations app): the event row is locked, a lower capacity
        # than the confirmed people is refused, a higher one promotes
        # people waiting, and the live totals are told.
        changes = changed_values(obj, form, exclude=("capacity",))
        capacity.pool_for(Event).resize(obj.pk, obj.capacity, **changes)
        return None


@admin.register(StaffRole)
class StaffRoleAdmin(EventScopedAdmin):
    list_display = ["user", "role", "event", "created_at"]
    list_filter = ["role", "event"]
    search_fields = ["user__username", "user__email", "event__name"]
    autocomplete_fields = ["user"]


@admin.register(Kiosk)
class KioskAdmin(EventScopedAdmin):
    list_display = ["name", "kind", "event", "service_code", "active", "last_seen_at", "link"]
    list_filter = ["kind", "active", "event"]
    search_fields = ["name"]
    readonly_fields = ["token", "last_seen_at", "created_at"]

    @admin.display(description=_("kiosk page"))
    def link(self, kiosk):
        return format_html('<a href="{}">{}</a>', kiosk.get_absolute_url(), _("open"))


class AuditTrailAdmin(EventScopedAdmin):
    """An audit trail: read in the admin, written only by the code, changed or
    deleted by nobody (superusers included)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(AuditTrailAdmin):
    """Read only for organizers, like the health-data log (they also see it on
    /staff/events/<event>/audit/)."""

    list_display = ["at", "event", "user", "action", "attendee_id", "detail"]
    list_filter = ["action", "event"]
    date_hierarchy = "at"
