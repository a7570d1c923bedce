"""One capacity engine: taking, freeing and promoting places.

The fair (``Event``), a training session and a screening slot each own
their capacity on one row, which carries a counter of the places taken
(``confirmed_count`` or ``booked_count``) beside ``capacity``; a
``CheckConstraint`` keeps ``count <= capacity`` in the database. Every
change that may move the counter goes through a ``Pool`` here:

1. lock the owning row (``select_for_update``) before reading the counter;
2. take or free places on the locked row, bumping its ``seq`` if it has one;
3. promote waiting people, first come first served, into free places;
4. register the broadcast with ``transaction.on_commit`` (through the
   helpers of ``eventhub.core.realtime``), so a rolled-back change is never
   shown.

Each kind of place subclasses ``Pool`` and supplies its model, its waiting
list (a queryset in arrival order), what promoting one item means for it
(status, e-mail) and its broadcast. The core never imports the apps: the
apps register their pools (``register``), so a core screen (the event admin)
can resize the fair's pool without knowing who waits in it. See
docs/capacity.md.
"""

import datetime as dt

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from eventhub.core.exceptions import DomainError


class CapacityBelowTaken(DomainError):
    code, http_status = "capacity_below_taken", 409
    default_message = _("The capacity cannot be lower than the places already taken.")


def below_taken_message(taken: int) -> str:
    """What an organizer reads when a new capacity is below ``taken``."""
    return ngettext(
        "%(count)d place is taken already; the capacity cannot go below %(count)d.",
        "%(count)d places are taken already; the capacity cannot go below %(count)d.",
        taken,
    ) % {"count": taken}


class Pool:
    """The places of one kind of row. Subclasses fill in the blanks below.

    Every method that takes a ``row`` expects the caller to hold its lock
    (``lock``) inside a transaction.
    """

    model: type[models.Model]
    count_field = "booked_count"
    capacity_field = "capacity"
    seq_field: str | None = None
    # Joined in when the row is locked (only the row itself is locked).
    related: tuple[str, ...] = ()

    # --- What each kind supplies ---------------------------------------------

    def waiting(self, row) -> models.QuerySet | None:
        """The people waiting for a place of ``row``, first come first."""
        return None

    def may_promote(self, row, now: dt.datetime) -> bool:
        """Whether freed places go to the waiting list now (e.g. not after the start)."""
        return True

    def confirm(self, row, item, now: dt.datetime) -> None:
        """Give ``item`` (a waiting one) its place: save it and tell the person."""
        raise TypeError(f"{type(self).__name__} has a waiting list but no confirm()")

    def announce(self, row) -> None:
        """Register the broadcast of a change of ``row`` (after commit)."""

    # --- The mechanism -------------------------------------------------------

    def lock(self, pk: int):
        """Lock and return the row owning the places. Raise model.DoesNotExist."""
        qs = self.model.objects.select_for_update(of=("self",))
        if self.related:
            qs = qs.select_related(*self.related)
        return qs.get(pk=pk)

    def hold(self, pk: int) -> int:
        """Lock the row until the caller's transaction ends; return the places taken.

        For a form that checks a new capacity before saving it in the same
        transaction (the admin's): no booking can take a place between the
        check and ``resize``. Raise model.DoesNotExist; TransactionManagementError
        outside a transaction.
        """
        if not transaction.get_connection().in_atomic_block:
            raise transaction.TransactionManagementError("hold() needs a transaction")
        return self.taken(self.lock(pk))

    def taken(self, row) -> int:
        return getattr(row, self.count_field)

    def capacity(self, row) -> int:
        return getattr(row, self.capacity_field)

    def free(self, row) -> int:
        return max(0, self.capacity(row) - self.taken(row))

    def has_room(self, row, places: int = 1) -> bool:
        return self.free(row) >= places

    def _save(self, row, fields: list[str]) -> None:
        if self.seq_field:
            setattr(row, self.seq_field, getattr(row, self.seq_field) + 1)
            fields = [*fields, self.seq_field]
        row.save(update_fields=fields)

    def take(self, row, places: int = 1) -> bool:
        """Take ``places`` on the locked row if there is room; return whether taken."""
        if not self.has_room(row, places):
            return False
        setattr(row, self.count_field, self.taken(row) + places)
        self._save(row, [self.count_field])
        self.announce(row)
        return True

    def release(self, row, places: int = 1, *, now: dt.datetime | None = None) -> list:
        """Free ``places`` on the locked row and promote into them; return the promoted."""
        if places:
            setattr(row, self.count_field, max(0, self.taken(row) - places))
            self._save(row, [self.count_field])
        promoted = self.promote(row, now=now)
        if places or promoted:
            self.announce(row)
        return promoted

    def promote(self, row, *, now: dt.datetime | None = None) -> list:
        """Confirm waiting people, oldest first, while the locked row has room.

        The waiting rows are locked too, so two promotions never confirm the
        same person. Return the promoted items; the caller announces.
        """
        now = now or timezone.now()
        waiting = self.waiting(row)
        free = self.free(row)
        if waiting is None or free <= 0 or not self.may_promote(row, now):
            return []
        promoted = list(waiting.select_for_update(of=("self",))[:free])
        for item in promoted:
            self.confirm(row, item, now)
        if promoted:
            setattr(row, self.count_field, self.taken(row) + len(promoted))
            self._save(row, [self.count_field])
        return promoted

    def resize(self, pk: int, capacity: int, **changes):
        """Set the capacity (and other plain fields) of a row; promote into new places.

        Raise CapacityBelowTaken when ``capacity`` is below the places taken.
        Return ``(row, promoted)``. Lock: the row.
        """
        with transaction.atomic():
            row = self.lock(pk)
            if capacity < self.taken(row):
                raise CapacityBelowTaken(
                    below_taken_message(self.taken(row)),
                    fields={self.capacity_field: [below_taken_message(self.taken(row))]},
                    taken=self.taken(row),
                )
            setattr(row, self.capacity_field, capacity)
            for field, value in changes.items():
                setattr(row, field, value)
            self._save(row, [self.capacity_field, *changes])
            promoted = self.promote(row)
            self.announce(row)
            return row, promoted


_POOLS: dict[type[models.Model], Pool] = {}


def register(pool: Pool) -> Pool:
    """Make ``pool`` the engine of its model's places (called by the owning app)."""
    _POOLS[pool.model] = pool
    return pool


def pool_for(model: type[models.Model]) -> Pool:
    """The registered pool of ``model``. Raise LookupError when none is."""
    try:
        return _POOLS[model]
    except KeyError:
        raise LookupError(f"no capacity pool registered for {model.__name__}") from None
