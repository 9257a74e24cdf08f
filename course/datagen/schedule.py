"""Which messages the channel sends over the six months, and the A/B tests among them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..platform import in_ad_night
from . import params as P


@dataclass(frozen=True)
class Arm:
    arm: str
    variant: str
    share: float
    hour: int
    minute: int = 0
    click: float = 1.0  # true effect of this variant on clicks
    title: str = ""


@dataclass(frozen=True)
class Experiment:
    experiment_id: str
    name: str
    day: int
    story: str  # "clean", "tone", "underpowered", "multiple", "srm"
    arms: tuple[Arm, ...]
    audience: str = "all"
    sample_size: int = 7_000
    is_ad: bool = False
    msg_type: str = "와이드 이미지형"


EXPERIMENTS = (
    Experiment("EXP01", "발송 시간 테스트 (오전 9시 vs 낮 12시)", 32, "clean", (
        Arm("A", "오전 9시 발송", 0.5, 9, 0, 1.0, "좁은 주방, 이번 주 정리 팁"),
        Arm("B", "낮 12시 발송", 0.5, 12, 0, 1.0, "좁은 주방, 이번 주 정리 팁"),
    )),
    Experiment("EXP02", "제목 톤 테스트 (딱딱한 제목 vs 공감형 제목)", 46, "tone", (
        Arm("A", "딱딱한 제목", 0.5, 11, 0, 1.0, "6월 배송 일정 안내"),
        Arm("B", "공감형 제목", 0.5, 11, 0, 1.32, "장마철 눅눅한 집, 같이 바꿔 볼까요?"),
    )),
    Experiment("EXP03", "쿠폰 문구 테스트 (금액 할인 vs 비율 할인)", 95, "underpowered", (
        Arm("A", "3,000원 할인 쿠폰", 0.5, 12, 0, 1.0, "(광고) 다시 찾아 주셔서 감사해요, 3,000원 쿠폰"),
        Arm("B", "10% 할인 쿠폰", 0.5, 12, 0, 1.10, "(광고) 다시 찾아 주셔서 감사해요, 10% 쿠폰"),
    ), audience="recent_buyers", sample_size=1_200, is_ad=True),
    Experiment("EXP04", "제목 네 가지 테스트", 130, "multiple", (
        Arm("A", "기본 제목", 0.25, 12, 0, 1.0, "가을 인테리어 가이드"),
        Arm("B", "공감형 제목", 0.25, 12, 0, 1.50, "선선한 바람, 집에도 가을을 들여 볼까요?"),
        Arm("C", "질문형 제목", 0.25, 12, 0, 1.18, "올가을 거실, 어떤 색으로 채울까요?"),
        Arm("D", "숫자 강조형 제목", 0.25, 12, 0, 1.0, "가을 인테리어 팁 12가지"),
    ), sample_size=6_800),
    Experiment("EXP05", "버튼 문구 테스트 (바로 가기 vs 자세히 보기)", 165, "srm", (
        Arm("A", "버튼: 바로 가기", 0.5, 12, 0, 1.0, "주말 나들이 준비, 피크닉 짐 싸는 법"),
        Arm("B", "버튼: 자세히 보기", 0.5, 12, 0, 1.0, "주말 나들이 준비, 피크닉 짐 싸는 법"),
    )),
)

SALE_DAYS = range(73, 80)  # 2026-07-13 .. 07-19: the summer sale week, two ads a day
# (day, hour, minute): ads sent at night. The platform takes no ad from 20:50 to 08:00, so each went out marked as
# 정보성, without "(광고)": the one way an ad reaches friends at night (beginner/03). 20:55 is night for the platform but
# not yet for the law's 21:00.
NIGHT_AD_SENDS = ((24, 20, 55), (101, 22, 15), (150, 7, 30))
MONTH_STARTS = (0, 31, 61, 92, 123, 153)
MONTH_AD_SHARE = (0.20, 0.20, 0.45, 0.25, 0.35, 0.20)

INFO_TITLES = (
    "이번 주 택배 마감 시간 안내", "좁은 주방을 넓게 쓰는 수납 팁", "가을맞이 거실 꾸미기 가이드",
    "매장 운영 시간 변경 안내", "반려동물과 함께 사는 집 정리법", "만년필 잉크 번짐 줄이는 법",
    "택배 배송 일정 안내", "리뷰 작성 방법 안내", "작은 방을 아늑하게 만드는 조명 배치",
    "여름철 도마·행주 관리법", "계절이 바뀔 때 러그 세탁법", "고객센터 상담 시간 안내",
    "선물 포장 신청 방법 안내", "비 오는 날 집콕 아이디어", "교환·반품 접수 방법 안내",
)
AD_TITLES = (
    "주말 한정 20% 할인", "신상품 출시 기념 쿠폰 증정", "친구 전용 타임 세일", "무료 배송 이벤트 진행 중",
    "인기 수납용품 1+1", "가을 정기 세일 시작", "재입고 기념 할인", "오늘 밤 자정까지 특가",
)
SALE_TITLES = ("여름 세일 시작", "여름 세일 2일차 특가", "여름 세일 한정 수량", "여름 세일 마감 임박")
# A segment send is an ad half the time; sent as 정보성 it carries content, never an offer (beginner/03, section 6)
SEGMENT_INFO_TITLES = {
    "인테리어": "인테리어 좋아하는 친구님을 위한 작은 방 배치 팁",
    "주방용품": "주방 살림 고수의 칼·도마 관리법",
    "문구": "문구 덕후를 위한 노트 정리법",
    "패션잡화": "가죽 가방 오래 쓰는 관리법",
    "반려동물": "반려동물 집사님을 위한 털 청소 요령",
    "최근 90일 구매 고객": "구매해 주신 상품의 사용 설명서 모음",
    "30대 여성": "30대 친구님들이 많이 물어본 배송 질문",
}
SEGMENT_TITLES = {
    "인테리어": "인테리어 좋아하는 친구님께 드리는 소품 추천",
    "주방용품": "주방 살림 고수를 위한 신상 도구",
    "문구": "문구 덕후를 위한 이번 달 신상 노트",
    "패션잡화": "가방·파우치 새 컬러 입고 소식",
    "반려동물": "반려동물 집사님을 위한 쿠션·식기 모음",
    "최근 90일 구매 고객": "구매해 주신 친구님께만 드리는 감사 쿠폰",
    "30대 여성": "30대 친구님들이 가장 많이 찾은 상품",
}


@dataclass
class Campaign:
    sent_s: int
    msg_type: str
    is_ad: bool
    title: str
    body_length: int
    has_ad_label: bool
    target: str
    audience: str  # all | interest:<name> | recent_buyers | demo:30대 여성
    author: int
    experiment: Experiment | None = None
    arm: Arm | None = None
    campaign_id: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def targeted(self) -> bool:
        return self.audience != "all"

    @property
    def hour(self) -> int:
        return int(self.sent_s % P.DAY // P.HOUR)

    @property
    def ad_night(self) -> bool:
        """An ad inside the platform's night (20:50-08:00)."""
        return self.is_ad and bool(in_ad_night(self.sent_s % P.DAY // 60))


def _body_length(rng: np.random.Generator, msg_type: str) -> int:
    if msg_type == "기본 텍스트형":
        return int(np.clip(rng.normal(380, 190), 60, 1_250))
    if msg_type == "와이드 이미지형":
        return int(rng.integers(30, 77)) if rng.random() > 0.06 else int(rng.integers(77, 100))
    if msg_type == "와이드 리스트형":
        return int(rng.integers(80, 300))
    return int(rng.integers(120, 520))


def _title(rng: np.random.Generator, is_ad: bool, labelled: bool, pool: tuple[str, ...]) -> str:
    title = str(rng.choice(pool))
    return f"(광고) {title}" if is_ad and labelled else title


def build_schedule(rng: np.random.Generator, writers: list[int]) -> list[Campaign]:
    campaigns: list[Campaign] = []
    experiment_days = {e.day: e for e in EXPERIMENTS}
    after_experiment = {e.day + 1 for e in EXPERIMENTS}
    # two days with an ad sent without "(광고)", on ordinary send days: a day drawn in the sale week or on a test day
    # (where no ordinary send goes out) moves to the next ordinary one, so beginner/03's plot and story always have
    # them (the draw itself is unchanged, so a seed whose days were already ordinary keeps its files)
    candidates = [d for d in range(40, 170) if (d + 4) % 7 in (1, 3)]
    ordinary = [d for d in candidates if d not in SALE_DAYS and d not in experiment_days]
    unlabelled_days: set[int] = set()
    for drawn in rng.choice(candidates, 2, replace=False):
        free = [d for d in ordinary if d not in unlabelled_days]
        unlabelled_days.add(next((d for d in free if d >= drawn), free[-1]))
    night = {day: (hour, minute) for day, hour, minute in NIGHT_AD_SENDS}
    interests = list(P.INTERESTS)
    week_segments = interests + ["최근 90일 구매 고객", "30대 여성"]

    def add(day: int, hour: int, minute: int, *, is_ad: bool, audience: str = "all",
            title_pool: tuple[str, ...] | None = None, labelled: bool = True, target: str = "전체") -> None:
        msg_type = str(rng.choice(P.MSG_TYPES, p=P.MSG_TYPE_SHARE))
        pool = title_pool or (AD_TITLES if is_ad else INFO_TITLES)
        campaigns.append(Campaign(
            sent_s=day * P.DAY + hour * P.HOUR + minute * 60,
            msg_type=msg_type, is_ad=is_ad, title=_title(rng, is_ad, labelled, pool),
            body_length=_body_length(rng, msg_type), has_ad_label=is_ad and labelled,
            target=target, audience=audience, author=int(rng.choice(writers)),
        ))

    for day in range(P.DAYS):
        weekday = (day + 4) % 7  # Monday = 0; 2026-05-01 is a Friday
        month = int(np.searchsorted(MONTH_STARTS, day, side="right") - 1)
        if day in experiment_days:
            experiment = experiment_days[day]
            author = int(rng.choice(writers))
            for arm in experiment.arms:
                campaigns.append(Campaign(
                    sent_s=day * P.DAY + arm.hour * P.HOUR + arm.minute * 60,
                    msg_type=experiment.msg_type, is_ad=experiment.is_ad, title=arm.title,
                    body_length=_body_length(rng, experiment.msg_type),
                    has_ad_label=experiment.is_ad, target=f"A/B 테스트 {experiment.experiment_id}",
                    audience=experiment.audience, author=author, experiment=experiment, arm=arm,
                ))
            continue
        if day in SALE_DAYS:
            add(day, 11, 0, is_ad=True, title_pool=SALE_TITLES)
            add(day, 19, 30, is_ad=True, title_pool=SALE_TITLES)
            continue
        if day in night:
            hour, minute = night[day]
            add(day, hour, minute, is_ad=True, labelled=False)
        if weekday in (1, 3, 5):
            hour = int(rng.choice([10, 11, 12, 13, 14, 17, 18, 19, 20], p=[.08, .14, .18, .12, .1, .08, .12, .1, .08]))
            is_ad = bool(rng.random() < MONTH_AD_SHARE[month])
            add(day, hour, int(rng.choice([0, 30])), is_ad=is_ad, labelled=day not in unlabelled_days or not is_ad)
            if day in unlabelled_days and not is_ad:
                add(day, hour + 2 if hour <= 18 else hour - 3, 0, is_ad=True, labelled=False)
        if weekday == 2 and day not in after_experiment:
            segment = week_segments[(day // 7) % len(week_segments)]
            audience = ("recent_buyers" if segment == "최근 90일 구매 고객"
                        else "demo:30대 여성" if segment == "30대 여성" else f"interest:{segment}")
            hour = int(rng.choice([11, 12, 19]))
            is_ad = bool(rng.random() < 0.5)
            titles = SEGMENT_TITLES if is_ad else SEGMENT_INFO_TITLES
            add(day, hour, 0, is_ad=is_ad, audience=audience, title_pool=(titles[segment],), target=segment)

    campaigns.sort(key=lambda c: c.sent_s)
    for number, campaign in enumerate(campaigns, start=1):
        campaign.campaign_id = f"M{number:04d}"
    return campaigns
