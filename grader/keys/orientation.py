"""Keys for beginner/00_orientation: two warm-up questions on the friends table."""

from __future__ import annotations

from course import load

from . import question


def _current_friends():
    friends = load("friends")
    return friends[friends["blocked_at"].isna()]


def _all_friends():
    return load("friends")


@question(
    "orientation.friends_now", variable="friends_now", kind="int",
    hint="friends 표에서 차단하지 않은 친구(blocked_at이 비어 있는 행)만 세어 보세요.",
    mistakes=(
        (lambda: len(_all_friends()),
         "차단한 친구까지 셌어요. 지금 친구는 blocked_at이 비어 있는 사람만이에요."),
        (lambda: int(_all_friends()["blocked_at"].notna().sum()),
         "차단한 친구 수를 셌어요. 지금 친구는 반대로 blocked_at이 비어 있는 사람이에요."),
    ),
)
def friends_now() -> int:
    """Friends at the end of the log (2026-10-31 24:00): added and not blocked."""
    return int(len(_current_friends()))


@question(
    "orientation.event_share", variable="event_share", kind="number", decimals=3,
    hint="지금 친구 가운데 source가 \"이벤트\"인 친구의 비율이에요. 분모도 지금 친구 수예요.",
    mistakes=(
        (lambda: float((_all_friends()["source"] == "이벤트").mean()),
         "차단한 친구까지 분모와 분자에 넣었어요. 지금 친구(차단하지 않은 친구)만으로 계산해 보세요."),
        (lambda: 100 * event_share(),
         "비율은 0과 1 사이 소수로 적어 주세요 (예: 0.125). 100을 곱하지 않아요."),
        (lambda: int((_current_friends()["source"] == "이벤트").sum()),
         "이벤트로 들어온 친구 수를 적었어요. 지금 친구 수로 나눠 비율로 만들어 보세요."),
    ),
)
def event_share() -> float:
    """Share of current friends who came through a giveaway event (0-1)."""
    current = _current_friends()
    return float((current["source"] == "이벤트").mean())
