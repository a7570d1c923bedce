"""Input and output shapes of the screenings API (no business rules here)."""

from rest_framework import serializers

from eventhub.core.models import Region
from registrations.models import Attendee
from screenings.models import FLAG_LABELS, Appointment, Service, Sex, Slot, Station


class StationOutput(serializers.ModelSerializer):
    open = serializers.BooleanField(source="is_open")

    class Meta:
        model = Station
        fields = ["id", "name", "room", "open"]


class SlotOutput(serializers.ModelSerializer):
    free = serializers.IntegerField()

    class Meta:
        model = Slot
        fields = ["id", "starts_at", "ends_at", "capacity", "free"]


class QuestionOutput(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()


class ServiceOutput(serializers.ModelSerializer):
    stations = StationOutput(many=True)
    slots = SlotOutput(many=True)
    questions = QuestionOutput(many=True)

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "description",
            "preparation",
            "provider",
            "duration_minutes",
            "min_age",
            "max_age",
            "sex",
            "questions",
            "stations",
            "slots",
        ]


class AppointmentBookInput(serializers.Serializer):
    slot = serializers.IntegerField()
    health_consent = serializers.BooleanField(default=False)
    answers = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=130)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default="")


class AppointmentOutput(serializers.ModelSerializer):
    service = serializers.SerializerMethodField()
    slot = serializers.SerializerMethodField()

    class Meta:
        model = Appointment
        fields = [
            "id",
            "status",
            "service",
            "slot",
            "health_consent_at",
            "answers",
            "flags",
            "referral_recommended",
            "note",
            "created_at",
        ]

    def get_service(self, obj) -> dict:
        return {"code": obj.service.code, "name": obj.service.name}

    def get_slot(self, obj) -> dict:
        return {"id": obj.slot_id, "starts_at": obj.slot.starts_at, "ends_at": obj.slot.ends_at}


class WalkInInput(serializers.Serializer):
    first_name = serializers.CharField(max_length=100)
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(), required=False, allow_null=True
    )
    category = serializers.ChoiceField(
        choices=Attendee.Category.choices, required=False, default=Attendee.Category.CITIZEN
    )
    flags = serializers.ListField(
        child=serializers.ChoiceField(choices=list(FLAG_LABELS)), required=False, default=list
    )


class QueueJoinInput(serializers.Serializer):
    ticket = serializers.CharField(required=False, max_length=200)
    walk_in = WalkInInput(required=False)

    def validate(self, attrs):
        if bool(attrs.get("ticket")) == bool(attrs.get("walk_in")):
            raise serializers.ValidationError("Give either a ticket or a walk-in, not both.")
        return attrs


class KioskQueueJoinInput(serializers.Serializer):
    kiosk = serializers.CharField(max_length=64)
    ticket = serializers.CharField(max_length=200)
    health_consent = serializers.BooleanField(default=False)
    answers = serializers.DictField(child=serializers.JSONField(), required=False, default=dict)
    age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=130)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, default="")


class QueueJoinOutput(serializers.Serializer):
    id = serializers.IntegerField(source="entry.pk")
    number = serializers.CharField()
    status = serializers.CharField(source="entry.status")
    position = serializers.IntegerField(allow_null=True)
    estimated_wait_minutes = serializers.IntegerField(allow_null=True)


class EntryCompleteInput(serializers.Serializer):
    referral_recommended = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class EntryHandOverInput(serializers.Serializer):
    station = serializers.IntegerField()
