"""Time in the video room: several join/leave intervals per person merged, clipped to the morning.

Someone whose connection drops rejoins; a second device overlaps the first. Overlaps count once, time before
the start or after the end of the morning not at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

Span = tuple[dt.datetime, dt.datetime]


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same time; empty or reversed spans are dropped."""
    merged: list[Span] = []
    for start, end in sorted(span for span in spans if span[1] > span[0]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def clip(spans: Iterable[Span], window: Span) -> list[Span]:
    low, high = window
    return [(max(start, low), min(end, high)) for start, end in spans if end > low and start < high]


def present_seconds(spans: Iterable[Span], window: Span) -> float:
    return sum((end - start).total_seconds() for start, end in clip(merge(spans), window))


def pair_actions(events: Iterable[tuple[dt.datetime, bool]], window: Span) -> list[Span]:
    """Join/leave rows (Teams' older report) as spans: a leave without a join counts from the start of the
    morning, a join without a leave until its end (the meeting closed with the person in it)."""
    spans: list[Span] = []
    opened: dt.datetime | None = None
    for moment, joined in sorted(events):
        if joined:
            if opened is None:
                opened = moment
        else:
            spans.append((opened if opened is not None else window[0], moment))
            opened = None
    if opened is not None:
        spans.append((opened, max(opened, window[1])))
    return spans
