"""WebSocket routes of this app."""

from django.urls import path

from registrations.consumers import EventStatsConsumer

websocket_urlpatterns = [
    path("ws/events/<slug:event>/stats/", EventStatsConsumer.as_asgi()),
]
