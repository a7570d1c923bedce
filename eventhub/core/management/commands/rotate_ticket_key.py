from django.core.management.base import BaseCommand, CommandError

from eventhub.core.models import Event, TicketSigningKey
from eventhub.core.ticket_keys import (
    event_hmac_tickets_retire,
    public_key_base64,
    ticket_key_retire,
    ticket_key_rotate,
)


class Command(BaseCommand):
    help = (
        "Give EVENT a new active Ed25519 key for its ticket QR codes. Tickets signed by "
        "older keys keep scanning until --retire-key; --retire-hmac stops the EH1 form."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="event slug")
        parser.add_argument(
            "--retire-key",
            type=int,
            action="append",
            default=[],
            metavar="NUMBER",
            help="stop accepting tickets signed by this older key (instead of rotating)",
        )
        parser.add_argument(
            "--retire-hmac",
            action="store_true",
            help="stop accepting the older HMAC-signed QR form (EH1) (instead of rotating)",
        )

    def handle(self, *args, event, retire_key, retire_hmac, **options):
        event_obj = Event.objects.filter(slug=event).first()
        if event_obj is None:
            raise CommandError(f"no event with slug {event!r}")
        if retire_key or retire_hmac:
            for number in retire_key:
                try:
                    ticket_key_retire(event_id=event_obj.pk, number=number)
                except TicketSigningKey.DoesNotExist:
                    raise CommandError(f"{event_obj.slug} has no key {number}") from None
                except ValueError as exc:
                    raise CommandError(str(exc)) from None
                self.stdout.write(f"key {number} of {event_obj.slug} is retired")
            if retire_hmac:
                event_hmac_tickets_retire(event_id=event_obj.pk)
                self.stdout.write(f"{event_obj.slug} no longer accepts EH1 (HMAC) tickets")
            return
        key = ticket_key_rotate(event_id=event_obj.pk)
        self.stdout.write(
            f"key {key.number} of {event_obj.slug} now signs new tickets; public key:"
        )
        self.stdout.write(public_key_base64(key))
