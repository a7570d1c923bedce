"""The clients' reducers, in Python: what each page keeps from a snapshot and
the deltas that follow, and what it shows. Each mirrors its JavaScript
(named in the class docstring) line for line, so that a test can check the
protocol's promise: the old snapshot plus the deltas shows what a fresh
snapshot shows."""

import json

from channels.testing import WebsocketCommunicator

SERVING = ("called", "in_progress")
GONE = ("done", "no_show", "cancelled")


class BoardClient:
    """static/js/kiosk-board.js."""

    def __init__(self):
        self.entries, self.serving_ids, self.waiting_order, self.figures = {}, [], [], {}
        self.recent = []

    def apply_figures(self, message):
        if isinstance(message.get("waiting_order"), list):
            self.waiting_order = message["waiting_order"]
        if isinstance(message.get("recent"), list):
            self.recent = message["recent"]
        for key in ("waiting_count", "estimated_wait_minutes"):
            if key in message:
                self.figures[key] = message[key]

    def place(self, entry, called):
        serving = entry["status"] in SERVING
        if serving and not called and entry["id"] in self.serving_ids:
            self.entries[entry["id"]] = entry
            return
        self.serving_ids = [i for i in self.serving_ids if i != entry["id"]]
        if entry["status"] in GONE:
            self.entries.pop(entry["id"], None)
            return
        self.entries[entry["id"]] = entry
        if serving:
            self.serving_ids.insert(0, entry["id"])

    def snapshot(self, snapshot):
        self.entries, self.serving_ids = {}, []
        for entry in snapshot.get("serving", []):
            self.entries[entry["id"]] = entry
            self.serving_ids.append(entry["id"])
        for entry in snapshot.get("waiting", []):
            self.entries[entry["id"]] = entry
        self.figures, self.recent = {}, []
        self.apply_figures(snapshot)

    def delta(self, message):
        self.apply_figures(message)
        entry = message.get("entry")
        if not entry:
            return
        if message["type"] == "queue.entry_removed":
            entry = {**entry, "status": "done"}
        called = message["type"] == "queue.entry_called" and entry["status"] in SERVING
        self.place(entry, called)

    def view(self):
        serving = [self.entries[i] for i in self.serving_ids if i in self.entries][:5]
        waiting = [self.entries[i] for i in self.waiting_order if i in self.entries]
        count = self.figures.get("waiting_count", len(waiting))
        return {
            "serving": serving,
            "next": waiting[:8],
            "waiting": count,
            "wait": self.figures.get("estimated_wait_minutes"),
            "recent": [(e["number"], e["station"]) for e in self.recent],
        }


class ConsoleClient:
    """static/js/console.js (``apply`` and ``render``)."""

    def __init__(self, station_id):
        self.station_id, self.entries, self.station = station_id, {}, None
        self.order, self.figures = [], {}

    def apply_figures(self, message):
        if isinstance(message.get("waiting_order"), list):
            self.order = message["waiting_order"]
        for key in ("waiting_count", "estimated_wait_minutes", "average_service_minutes"):
            if key in message:
                self.figures[key] = message[key]

    def snapshot(self, snapshot):
        self.entries = {e["id"]: e for e in snapshot["waiting"] + snapshot["current"]}
        self.station = snapshot["station"]
        self.order, self.figures = [], {}
        self.apply_figures(snapshot)

    def delta(self, message):
        self.apply_figures(message)
        if message["type"] == "queue.entry_removed":
            self.entries.pop(message["entry"]["id"], None)
        elif message.get("entry"):
            self.entries[message["entry"]["id"]] = message["entry"]
        if (
            message["type"] == "queue.station_updated"
            and message["station"]["id"] == self.station_id
        ):
            self.station = message["station"]

    def view(self):
        # render() puts the waiting in the server's order; those beyond it
        # by a function of each entry alone (here: by id, the same entries
        # show the same list).
        everyone = sorted(self.entries.values(), key=lambda e: e["id"])
        index = {entry_id: i for i, entry_id in enumerate(self.order)}
        waiting = sorted(
            (e for e in everyone if e["status"] == "waiting"),
            key=lambda e: index.get(e["id"], len(index)),
        )
        return {
            "mine": [
                e for e in everyone if e["station_id"] == self.station_id and e["status"] in SERVING
            ],
            "waiting": waiting,
            "open": self.station["open"],
            "figures": self.figures,
        }


class StatsClient:
    """static/js/kiosk-stats.js and dashboard.js: draw what a message carries."""

    def __init__(self):
        self.figures = {}

    def snapshot(self, snapshot):
        self.figures = {k: v for k, v in snapshot.items() if k not in ("type", "seq")}

    def delta(self, message):
        self.figures.update({k: v for k, v in message.items() if k not in ("type", "seq", "part")})

    def view(self):
        return json.loads(json.dumps(self.figures))


def follow(client, snapshot, deltas):
    """Apply the snapshot, then the deltas in turn, through LiveSocket's gate."""
    client.snapshot(snapshot)
    seq = snapshot["seq"]
    for message in deltas:
        assert message["type"] != "snapshot", "a gap: the socket started over"
        assert message["seq"] == seq + 1, "the deltas come in order, without gaps"
        seq = message["seq"]
        client.delta(message)
    return client.view()


async def drain(communicator: WebsocketCommunicator, *, quiet: float = 0.5) -> list[dict]:
    """Every message the socket has been sent, until it stays quiet."""
    messages = []
    while not await communicator.receive_nothing(timeout=quiet):
        messages.append(await communicator.receive_json_from(timeout=5))
    return messages
