"""Output shapes of the project API."""

from rest_framework import serializers

from eventhub.projects.models import Partner, Project


class PartnerOutput(serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["name", "role", "funding_eur"]


class ProjectOutput(serializers.ModelSerializer):
    partners = PartnerOutput(many=True)
    regions = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Project
        fields = [
            "acronym",
            "project_id",
            "title",
            "status",
            "theme",
            "stand",
            "budget_eur",
            "regions",
            "starts_on",
            "ends_on",
            "partners",
        ]
