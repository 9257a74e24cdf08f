"""The crisis lessons' monitoring rules on plain hourly counts, stated once.

advanced/03 sets control limits on a scenario's quiet week and raises the first alert; advanced/04 counts the days
until daily blocks are back under the quiet week's mean + 3 standard deviations; both grade severity from the same
table. The answer keys (``grader.keys.a03_detection``, ``a04_drill``) apply these rules to the loaded data, and the
generator applies them to each drawn scenario to redraw one whose story would not hold (``incidents``).

This module lives with the generator, which the grading sandbox never mounts.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import poisson

QUIET_HOURS = 7 * 24
LEVEL = 0.9999
BLOCK_WINDOW = 2  # hours on each side of the hour of day
# Severity (the lesson's table): SEV-1 from the first threshold, SEV-2 from the second; the higher level wins.
AFFECTED_LEVELS = (1_000, 100)
EXCESS_LEVELS = (200, 50)


def block_lambda(quiet_blocks: np.ndarray) -> np.ndarray:
    """λ per hour of day 0-23: the quiet week's mean blocks at hours of day h-2 … h+2 (wrapping around midnight)."""
    by_hour = np.asarray(quiet_blocks, dtype=float).reshape(-1, 24).mean(axis=0)
    return np.mean([np.roll(by_hour, shift) for shift in range(-BLOCK_WINDOW, BLOCK_WINDOW + 1)], axis=0)


def block_limits(quiet_blocks: np.ndarray) -> np.ndarray:
    return poisson.ppf(LEVEL, block_lambda(quiet_blocks))


def complaint_limit(quiet_complaints: np.ndarray) -> float:
    """One limit for the day: the quiet week's mean complaint chats per hour."""
    return float(poisson.ppf(LEVEL, float(np.mean(quiet_complaints))))


def over_each(blocks: np.ndarray, complaints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hour by hour: blocks above their hour-of-day limit; complaint chats above theirs (limits from hours 0-167)."""
    blocks, complaints = np.asarray(blocks), np.asarray(complaints)
    hour_of_day = np.arange(len(blocks)) % 24
    return (blocks > block_limits(blocks[:QUIET_HOURS])[hour_of_day],
            complaints > complaint_limit(complaints[:QUIET_HOURS]))


def over_hours(blocks: np.ndarray, complaints: np.ndarray) -> np.ndarray:
    """Hour by hour: blocks or complaint chats above their limit."""
    block_over, complaint_over = over_each(blocks, complaints)
    return block_over | complaint_over


def first_hour(over: np.ndarray) -> int | None:
    """The first hour number from 168 on that is over; None when the incident week never is."""
    hours = np.flatnonzero(np.asarray(over)[QUIET_HOURS:])
    return QUIET_HOURS + int(hours[0]) if len(hours) else None


def alert_hour(blocks: np.ndarray, complaints: np.ndarray) -> int | None:
    """The first hour from 168 on over either limit (the alert); None when the incident week never crosses one."""
    return first_hour(over_hours(blocks, complaints))


def excess_blocks(blocks: np.ndarray) -> int:
    blocks = np.asarray(blocks)
    return int(blocks[QUIET_HOURS:].sum() - blocks[:QUIET_HOURS].sum())


def severity(affected: int, excess: int) -> str:
    by_affected = 1 if affected >= AFFECTED_LEVELS[0] else 2 if affected >= AFFECTED_LEVELS[1] else 3
    by_excess = 1 if excess >= EXCESS_LEVELS[0] else 2 if excess >= EXCESS_LEVELS[1] else 3
    return f"SEV-{min(by_affected, by_excess)}"


def days_back(daily_blocks: np.ndarray, incident_day: int, quiet_days: int = 7) -> int | None:
    """Days from the incident day to the first later day that, with every later day of the record, is at or below the
    quiet days' mean + 3 × standard deviation (ddof=1); None when the record ends above it."""
    daily = np.asarray(daily_blocks, dtype=float)
    quiet = daily[:quiet_days]
    limit = quiet.mean() + 3 * quiet.std(ddof=1)
    after = daily[incident_day + 1:]
    stays_below = np.minimum.accumulate((after <= limit)[::-1])[::-1]
    back = np.flatnonzero(stays_below)
    return int(back[0]) + 1 if len(back) else None
