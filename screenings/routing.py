"""WebSocket routes of this app."""

from django.urls import path

from screenings import consumers

websocket_urlpatterns = [
    path("ws/stations/<int:station>/", consumers.StationConsoleConsumer.as_asgi()),
    path(
        "ws/events/<slug:event>/screenings/<str:service>/board/",
        consumers.QueueBoardConsumer.as_asgi(),
    ),
]
