"""Admin for organizers: events, programme areas, staff and kiosks.

Organizers are staff users in the "Organizers" group (``add_staff`` puts them
there); they see only the events they organize. ``EventScopedAdmin`` gives the
same scoping to every model that belongs to an event.
"""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from eventhub.core.models import AuditLog, Event, Kiosk, Programme, Region, StaffRole


def organized_event_ids(user):
    return StaffRole.objects.filter(user=user, role=StaffRole.Role.ORGANIZER).values("event_id")


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


class RegionInline(admin.TabularInline):
    model = Region
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]
    inlines = [RegionInline]


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
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
class EventAdmin(EventScopedAdmin):
    event_field = "pk"
    list_display = ["name", "city", "starts_at", "capacity", "status"]
    list_filter = ["status", "country", "programme"]
    search_fields = ["name", "slug", "city", "venue"]
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
                    "registration_opens_at",
                    "registration_closes_at",
                    "languages",
                ]
            },
        ),
        (_("Personal data"), {"fields": ["personal_data_retention_days"]}),
        (_("Tickets"), {"fields": ["accept_hmac_tickets"]}),
    ]


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
    """An audit log: organizers read it; nobody but a superuser adds, edits or deletes."""

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditLog)
class AuditLogAdmin(AuditTrailAdmin):
    """Read only for organizers, like the health-data log (they also see it on
    /staff/events/<event>/audit/)."""

    list_display = ["at", "event", "user", "action", "attendee_id", "detail"]
    list_filter = ["action", "event"]
    date_hierarchy = "at"
