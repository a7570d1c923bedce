"""Charts as inline SVG, drawn on the server: the same markup serves the page
and the PDF (WeasyPrint renders SVG), with no script and no CDN.

Every chart sits next to a table with the same numbers, so the SVG is a
picture (``role="img"`` with a title) rather than the only way to read them.
``static/js/dashboard.js`` redraws the live bar charts with the same geometry
(``barChart`` there mirrors ``bar_chart`` here).
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

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


def _short(label: str, limit: int = LABEL_CHARS) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


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
