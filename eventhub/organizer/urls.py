"""URLs of the organizer's pages (included once from eventhub/urls.py)."""

from django.urls import path

from eventhub.organizer import views

app_name = "organizer"

prefix = "staff/events/<slug:event>/"

urlpatterns = [
    path(prefix + "team/", views.team, name="team"),
    path(prefix + "team/<int:role_id>/revoke/", views.team_revoke, name="team-revoke"),
    path(prefix + "kiosks/", views.kiosks, name="kiosks"),
    path(prefix + "kiosks/<int:kiosk_id>/revoke/", views.kiosk_revoke_view, name="kiosk-revoke"),
    path(prefix + "kiosks/<int:kiosk_id>/reissue/", views.kiosk_reissue_view, name="kiosk-reissue"),
    path(prefix + "kiosks/<int:kiosk_id>/pairing/", views.kiosk_pairing, name="kiosk-pairing"),
    path(prefix + "people/", views.people, name="people"),
    path(prefix + "people/<int:attendee_id>/", views.person, name="person"),
    path(prefix + "people/<int:attendee_id>/erase/", views.person_erase, name="person-erase"),
    path(prefix + "audit/", views.audit, name="audit"),
    path(prefix + "copy/", views.copy, name="copy"),
    path(
        "accounts/set-password/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set-password",
    ),
]
