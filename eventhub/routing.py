"""All WebSocket routes: the apps' own and the composition's (the stats board)."""

from django.urls import path

from eventhub.kiosks.consumers import EventStatsConsumer
from screenings.routing import websocket_urlpatterns as screening_routes

websocket_urlpatterns = [
    path("ws/events/<slug:event>/stats/", EventStatsConsumer.as_asgi()),
    *screening_routes,
]
