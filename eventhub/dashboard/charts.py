"""Charts as inline SVG, drawn on the server, and the charts of each page: the
same markup serves the page and the PDF (WeasyPrint renders SVG), with no
script and no CDN.

Every chart sits next to a table with the same numbers, so the SVG is a
picture (``role="img"`` with a title) rather than the only way to read them.
``static/js/dashboard.js`` redraws the live bar charts with the same geometry
(``barChart`` there mirrors ``bar_chart`` here).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

FONT = 'font-family="DejaVu Sans, sans-serif"'
BAR = "#0b4f9c"
TRACK = "#dbe4f0"
INK = "#14161a"
WIDTH = 560
LABEL_WIDTH = 210
ROW = 24
BAR_HEIGHT = 15
LABEL_CHARS = 30
MAX_COLUMN = 44


SEPARATOR = " · "
SHORT_TAIL = 8  # "10:30", "12.06 10:30": a tail that tells two rows apart


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    """``label`` in ``limit`` characters. A short tail after the last " · "
    (a session's time) is kept and the head shortened instead, so two
    sessions of one long-named module never read the same."""
    if len(label) <= limit:
        return label
    head, separator, tail = label.rpartition(SEPARATOR)
    if separator and len(tail) <= SHORT_TAIL:
        room = limit - len(separator) - len(tail)
        return head[: room - 1] + "…" + separator + tail
    return label[: limit - 1] + "…"


def _open(title: str, height: int, width: int = WIDTH) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" {FONT} font-size="12">'
        f"<title>{escape(title)}</title>"
    )


def bar_chart(
    items: list[tuple[str, int]], *, title: str, tracks: list[int] | None = None
) -> SafeString:
    """Horizontal bars, one per ``(label, value)``; ``tracks`` (e.g. capacities)
    draws a pale full-length bar behind each value and sets the scale."""
    if not items:
        return mark_safe("")
    plot = WIDTH - LABEL_WIDTH - 60
    scale_max = max([v for _, v in items] + (tracks or []) + [1])
    height = ROW * len(items) + 6
    parts = [_open(title, height)]
    for index, (label, value) in enumerate(items):
        y = 3 + index * ROW
        text_y = y + BAR_HEIGHT - 3
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{text_y}" text-anchor="end" fill="{INK}">'
            f"<title>{escape(label)}</title>{escape(_short(label))}</text>"
        )
        end = f"{value}"
        if tracks is not None:
            track = round(plot * tracks[index] / scale_max, 1)
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{track}" height="{BAR_HEIGHT}" '
                f'fill="{TRACK}"/>'
            )
            end = f"{value} / {tracks[index]}"
        width = round(plot * value / scale_max, 1)
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" fill="{BAR}"/>'
        )
        reach = max(width, round(plot * tracks[index] / scale_max, 1) if tracks else 0)
        parts.append(
            f'<text x="{LABEL_WIDTH + reach + 6}" y="{text_y}" fill="{INK}">{escape(end)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def column_chart(items: list[tuple[str, int]], *, title: str, height: int = 190) -> SafeString:
    """Vertical columns for a time series (registrations per day, check-ins per hour)."""
    if not items:
        return mark_safe("")
    left, bottom, top = 8, 34, 18
    plot_w, plot_h = WIDTH - 2 * left, height - bottom - top
    top_value = max([v for _, v in items] + [1])
    slot = plot_w / len(items)
    every = max(1, -(-len(items) // 12))  # at most about 12 axis labels
    parts = [_open(title, height)]
    parts.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    for index, (label, value) in enumerate(items):
        bar_h = round(plot_h * value / top_value, 1)
        bar_w = min(slot * 0.7, MAX_COLUMN)
        center = round(left + index * slot + slot / 2, 1)
        x = round(center - bar_w / 2, 1)
        parts.append(
            f'<rect x="{x}" y="{round(top + plot_h - bar_h, 1)}" width="{round(bar_w, 1)}" '
            f'height="{bar_h}" fill="{BAR}"><title>{escape(label)}: {value}</title></rect>'
        )
        if len(items) <= 24 and value:
            parts.append(
                f'<text x="{center}" y="{round(top + plot_h - bar_h - 4, 1)}" '
                f'text-anchor="middle" fill="{INK}">{value}</text>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{center}" y="{top + plot_h + 16}" text-anchor="middle" '
                f'fill="{INK}" font-size="11">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


# --- The charts of each page ------------------------------------------------------


def dashboard_rows(figures: dict, *, tz: ZoneInfo, no_gate: str) -> dict:
    """The labelled rows the dashboard's tables and charts share."""
    live = figures["live"]
    no_shows = figures["no_shows"]
    rows = [(_("Gate: confirmed, not checked in"), no_shows["gate"])]
    rows += [(_("Training · %s") % t["label"], t["count"]) for t in no_shows["training"]]
    rows += [(_("Screening · %s") % s["label"], s["count"]) for s in no_shows["screenings"]]
    return {
        "gates": sorted(live["by_gate"].items()),
        "gate_labels": [(g or no_gate, n) for g, n in sorted(live["by_gate"].items())],
        "training": [
            (f"{s['module']} · {dt.datetime.fromisoformat(s['starts_at']).astimezone(tz):%H:%M}", s)
            for s in live["training"]
        ],
        "no_shows": rows,
    }


def dashboard_charts(figures: dict, rows: dict, strings: dict) -> dict:
    live = figures["live"]
    services = [(f"{s['code']} · {s['name']}", s) for s in live["screenings"]]
    return {
        "gates": bar_chart(rows["gate_labels"], title=strings["by_gate"]),
        "training": bar_chart(
            [(label, s["booked"]) for label, s in rows["training"]],
            title=strings["training"],
            tracks=[s["capacity"] for _label, s in rows["training"]],
        ),
        "waiting": bar_chart(
            [(name, s["waiting"]) for name, s in services], title=strings["screenings_waiting"]
        ),
        "served": bar_chart(
            [(name, s["served"]) for name, s in services], title=strings["screenings_served"]
        ),
        "registrations": column_chart(
            [(day[5:], n) for day, n, _running in figures["registrations_by_day"]],
            title=_("Registrations per day"),
        ),
        "hours": column_chart(figures["check_ins_by_hour"], title=_("Check-ins by hour")),
        "no_shows": bar_chart(rows["no_shows"], title=_("No-shows")),
    }


def report_charts(report) -> dict:
    """The programme report's charts (page and PDF): totals of four sections."""

    def totals(key):
        return [(row.label, row.total) for row in report.section(key).rows]

    performed = [
        (row.subject, row.total)
        for row in report.section("screenings").rows
        if row.kind == "performed"
    ]
    return {
        "origin": bar_chart(totals("origin"), title=report.section("origin").title),
        "category": bar_chart(totals("category"), title=report.section("category").title),
        "returning": bar_chart(totals("returning"), title=report.section("returning").title),
        "screenings": bar_chart(performed, title=_("Screenings performed per service")),
    }
