"""Input and output shapes of the consultation API."""

from rest_framework import serializers

from eventhub.consultation.models import Question, Survey


class SurveyQuestionOutput(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField(source="text_here")
    kind = serializers.ChoiceField(choices=Question.Kind.choices)
    required = serializers.BooleanField()
    choices = serializers.SerializerMethodField()

    def get_choices(self, question) -> list[dict]:
        if question.kind == Question.Kind.SCALE:
            return [
                {"key": p, "text": str(p)}
                for p in range(Question.SCALE_MIN, Question.SCALE_MAX + 1)
            ]
        return [{"key": key, "text": text} for key, text in question.choices_here()]


class SurveyOutput(serializers.Serializer):
    id = serializers.IntegerField()
    audience = serializers.ChoiceField(choices=Survey.Audience.choices)
    title = serializers.CharField(source="title_text")
    questions = SurveyQuestionOutput(many=True, source="questions.all")


class SurveyResponseInput(serializers.Serializer):
    answers = serializers.JSONField()
    region = serializers.JSONField(required=False, allow_null=True, default=None)
    ticket = serializers.CharField(required=False, allow_blank=True, max_length=64)
    contact_ok = serializers.BooleanField(required=False, default=False)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_email = serializers.CharField(required=False, allow_blank=True, max_length=254)


class SurveyResponseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    survey = serializers.IntegerField(source="survey_id")
    created_at = serializers.DateTimeField()
