"""Public API of the project directory."""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from eventhub.core.selectors import event_get_public
from eventhub.core.throttling import PublicRateThrottle
from eventhub.projects.selectors import project_list
from eventhub.projects.serializers import ProjectOutput


class ProjectListApi(APIView):
    throttle_classes = [PublicRateThrottle]

    @extend_schema(responses=ProjectOutput(many=True), operation_id="projects_list")
    def get(self, request, event):
        event_obj = event_get_public(slug=event)
        if event_obj is None:
            raise Http404
        projects = project_list(
            event_id=event_obj.pk,
            query=request.query_params.get("q", ""),
            theme=request.query_params.get("theme", ""),
            region=request.query_params.get("region", ""),
        )
        return Response(ProjectOutput(projects, many=True).data)
