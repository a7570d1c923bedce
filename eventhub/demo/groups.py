"""Demo groups: a bus from a village in Mehedinți and a family from Timiș.

The seed's CROSSYN project brings disadvantaged people from rural areas to
its services with free transport; the bus here is such a group, with its
pick-up place on the transport list. See docs/groups.md.
"""

from eventhub.core.models import Event, Region
from registrations.models import Group
from registrations.services.groups import group_register

BUS = {
    "contact": ("Florica", "Bălan", "florica.balan@example.org", "+40744100200", "Mehedinți"),
    "transport_from": "Eșelnița, Primăria (town hall)",
    "members": [
        ("Maria", "Bălan", 67),
        ("Elisabeta", "Stoica", 58),
        ("Ileana", "Dobre", 61),
        ("Vasilica", "Nistor", 49),
        ("Georgeta", "Pîrvu", 72),
        ("Aurelia", "Mitran", 55),
        ("Doina", "Căpraru", 63),
        ("Rodica", "Giura", 46),
        ("Lucreția", "Pătrașcu", 69),
        ("Ion", "Bălan", 70),
    ],
}

FAMILY = {
    "contact": ("Cristina", "Marinescu", "cristina.marinescu@example.org", "+40723456789", "Timiș"),
    "transport_from": "",
    "members": [("Radu", "Marinescu", 41), ("Sofia", "Marinescu", 9), ("Matei", "Marinescu", 6)],
}


def load(*, event: Event) -> None:
    if Group.objects.filter(event=event).exists():
        return
    regions = {r.name: r.pk for r in Region.objects.filter(programme_id=event.programme_id)}
    for group in (BUS, FAMILY):
        first, last, email, phone, region = group["contact"]
        group_register(
            event_id=event.pk,
            contact={
                "first_name": first,
                "last_name": last,
                "email": email,
                "phone": phone,
                "country": "RO",
                "region_id": regions.get(region),
                "language": "ro",
            },
            members=[
                {"first_name": f, "last_name": la, "age": age} for f, la, age in group["members"]
            ],
            transport_from=group["transport_from"],
        )
