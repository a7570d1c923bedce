"""Output shapes of the core's public API."""

from rest_framework import serializers

from eventhub.core.models import Event


class EventOutput(serializers.ModelSerializer):
    programme = serializers.CharField(source="programme.name", default=None, read_only=True)
    registration_open = serializers.SerializerMethodField()

    class Meta:
        model = Event
        fields = [
            "slug",
            "name",
            "description",
            "programme",
            "venue",
            "address",
            "city",
            "country",
            "starts_at",
            "ends_at",
            "timezone",
            "capacity",
            "registration_opens_at",
            "registration_closes_at",
            "registration_open",
            "status",
            "languages",
        ]

    def get_registration_open(self, event: Event) -> bool:
        return event.registration_is_open()
