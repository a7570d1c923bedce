"""All WebSocket routes: each app owns its own ``routing.py``."""

from registrations.routing import websocket_urlpatterns as registration_routes
from screenings.routing import websocket_urlpatterns as screening_routes

websocket_urlpatterns = [*registration_routes, *screening_routes]
