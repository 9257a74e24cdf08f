"""Friends of the channel and the channel team, as arrays the simulation can update."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import params as P

NEVER = np.iinfo(np.int64).max // 4  # "not blocked" in the seconds-since-start clock


@dataclass
class Friends:
    """Column arrays, one entry per friend; times are seconds since ``params.START``."""

    added_s: np.ndarray
    source: np.ndarray  # index into P.SOURCES
    gender: np.ndarray
    age_band: np.ndarray
    region: np.ndarray
    interest: np.ndarray
    ad_consent: np.ndarray
    night_ad_consent: np.ndarray
    blocked_s: np.ndarray  # updated by the simulation
    click_propensity: np.ndarray
    block_propensity: np.ndarray

    def __len__(self) -> int:
        return len(self.added_s)

    def ids(self, index: np.ndarray | None = None) -> np.ndarray:
        numbers = np.arange(1, len(self) + 1) if index is None else index + 1
        return np.char.add("F", np.char.zfill(numbers.astype(str), 6))


def _daily_add_weights(rng: np.random.Generator) -> np.ndarray:
    """Weight of each (day, source) cell for friends added inside the window."""
    days = np.arange(P.DAYS)
    weights = np.ones((P.DAYS, len(P.SOURCES))) * np.array(P.SOURCE_SHARE)
    weekday = (days + 4) % 7  # 2026-05-01 is a Friday: Monday = 0
    weights[:, P.SOURCES.index("오프라인 QR")] *= np.where(weekday >= 5, 1.8, 0.8)
    # Giveaway events: short, tall bursts of event friends.
    for start in rng.choice(np.arange(10, P.DAYS - 10), size=4, replace=False):
        weights[start:start + 4, P.SOURCES.index("이벤트")] *= 9.0
    # Two paid-ad flights.
    for start in (35, 120):
        weights[start:start + 14, P.SOURCES.index("광고")] *= 3.5
    return weights / weights.sum()


def make_friends(rng: np.random.Generator, n_friends: int) -> Friends:
    n_pre = int(round(n_friends * P.PRE_WINDOW_SHARE))
    n_new = n_friends - n_pre

    pre_source = rng.choice(len(P.SOURCES), size=n_pre, p=P.SOURCE_SHARE)
    pre_added = -rng.integers(1, P.PRE_WINDOW_DAYS * P.DAY, size=n_pre)

    weights = _daily_add_weights(rng)
    cells = rng.choice(weights.size, size=n_new, p=weights.ravel())
    new_day, new_source = np.divmod(cells, len(P.SOURCES))
    hour_weights = np.array([1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 9, 8, 7, 7, 7, 7, 8, 9, 10, 10, 8, 4], float)
    new_hour = rng.choice(24, size=n_new, p=hour_weights / hour_weights.sum())
    new_added = new_day * P.DAY + new_hour * P.HOUR + rng.integers(0, P.HOUR, size=n_new)

    added_s = np.concatenate([pre_added, new_added]).astype(np.int64)
    source = np.concatenate([pre_source, new_source])
    order = np.argsort(added_s, kind="stable")
    added_s, source = added_s[order], source[order]

    n = n_friends
    gender = rng.choice(len(P.GENDERS), size=n, p=P.GENDER_SHARE)
    age_band = rng.choice(len(P.AGE_BANDS), size=n, p=P.AGE_SHARE)
    region = rng.choice(len(P.REGIONS), size=n, p=P.REGION_SHARE)
    interest = rng.choice(len(P.INTERESTS), size=n, p=P.INTEREST_SHARE)
    ad_consent = rng.random(n) < P.AD_CONSENT_RATE
    night_ad_consent = ad_consent & (rng.random(n) < P.NIGHT_CONSENT_RATE)

    source_click = np.array([P.SOURCE_CLICK[s] for s in P.SOURCES])[source]
    gender_click = np.array([P.GENDER_CLICK[g] for g in P.GENDERS])[gender]
    age_click = np.array([P.AGE_CLICK[a] for a in P.AGE_BANDS])[age_band]
    click_propensity = source_click * gender_click * age_click * rng.lognormal(0.0, 0.45, size=n)
    block_propensity = np.array([P.SOURCE_BLOCK[s] for s in P.SOURCES])[source]

    hazard = P.BASE_DAILY_BLOCK_HAZARD * block_propensity
    spontaneous = added_s + (rng.exponential(1.0 / hazard) * P.DAY).astype(np.int64)
    early = rng.random(n) < np.array([P.SOURCE_EARLY_BLOCK.get(s, 0.0) for s in P.SOURCES])[source]
    early_s = added_s + (rng.exponential(P.EARLY_BLOCK_DAYS, size=n) * P.DAY).astype(np.int64)
    spontaneous = np.where(early, np.minimum(spontaneous, early_s), spontaneous)
    blocked_s = np.where(spontaneous < P.DAYS * P.DAY, spontaneous, NEVER).astype(np.int64)

    return Friends(added_s, source, gender, age_band, region, interest, ad_consent, night_ad_consent,
                   blocked_s, click_propensity, block_propensity)


SURNAMES = ("김", "이", "박", "최", "정", "강", "조", "윤", "장", "임", "한", "오", "서", "신", "권")
GIVEN_NAMES = ("지민", "서연", "민준", "하은", "도윤", "수아", "예준", "지우", "시우", "하린", "주원", "윤서",
               "건우", "채원", "현우", "다은", "유진", "승민", "나연", "태윤")


@dataclass
class Staff:
    ids: list[str]
    names: list[str]
    roles: list[str]
    levels: list[str]
    training: list[str]
    trained_day: list[int]
    click_factor: np.ndarray  # writers only (agents: 1.0)

    @property
    def writers(self) -> list[int]:
        return [i for i, role in enumerate(self.roles) if role == "메시지 작성"]

    @property
    def agents(self) -> list[int]:
        return [i for i, role in enumerate(self.roles) if role == "채팅 상담"]


def make_staff(rng: np.random.Generator) -> Staff:
    n = P.N_WRITERS + P.N_AGENTS
    names: list[str] = []
    while len(names) < n:
        name = str(rng.choice(SURNAMES)) + str(rng.choice(GIVEN_NAMES))
        if name not in names:
            names.append(name)
    roles = ["메시지 작성"] * P.N_WRITERS + ["채팅 상담"] * P.N_AGENTS
    # Half of the writers went to the workshop, half took the online course.
    writer_training = list(rng.permutation([P.TRAINING[i % 2] for i in range(P.N_WRITERS)]))
    agent_training = [P.TRAINING[int(i)] for i in rng.integers(0, 2, size=P.N_AGENTS)]
    training = writer_training + agent_training
    levels = [str(level) for level in rng.choice(["초급", "중급", "고급"], size=n, p=[0.4, 0.4, 0.2])]
    trained_day = [int(d) for d in -rng.integers(10, 60, size=n)]
    skill = rng.lognormal(0.0, P.WRITER_SPREAD, size=n)
    click_factor = np.where(np.array(training) == "실습 워크숍", P.WORKSHOP_CLICK, 1.0) * skill
    click_factor[P.N_WRITERS:] = 1.0
    ids = [f"S{i + 1:02d}" for i in range(n)]
    return Staff(ids, names, roles, levels, training, trained_day, click_factor)
