"""The generator's hidden truths: every built-in effect lives here and nowhere in the data.

Lessons discover these; tests recover them from the generated files. Change one and the
effect tests (tests/test_effects.py) say whether it can still be found.
"""

from __future__ import annotations

import numpy as np

from ..tables import (AGE_BANDS, GENDERS, INTENTS, INTERESTS, MSG_TYPES, REGIONS,  # noqa: F401
                      SOURCES, TRAINING)

START = np.datetime64("2026-05-01T00:00:00", "s")
DAYS = 184  # 2026-05-01 .. 2026-10-31
DAY = 86_400
HOUR = 3_600

SOURCE_SHARE = (0.30, 0.22, 0.20, 0.16, 0.12)
# Friends bought with giveaways and ads click less and block more than friends from search.
SOURCE_CLICK = {"채널 검색": 1.35, "광고": 0.70, "이벤트": 0.55, "오프라인 QR": 1.00, "지인 추천": 1.25}
SOURCE_BLOCK = {"채널 검색": 0.55, "광고": 1.70, "이벤트": 2.20, "오프라인 QR": 1.00, "지인 추천": 0.65}

GENDER_SHARE = (0.58, 0.34, 0.08)
GENDER_CLICK = {"여성": 1.10, "남성": 0.85, "알 수 없음": 0.90}
AGE_SHARE = (0.07, 0.30, 0.31, 0.20, 0.12)
AGE_CLICK = {"10대": 0.80, "20대": 1.05, "30대": 1.20, "40대": 1.00, "50대 이상": 0.80}
REGION_SHARE = (0.30, 0.31, 0.12, 0.08, 0.07, 0.08, 0.04)
INTEREST_SHARE = (0.28, 0.24, 0.16, 0.20, 0.12)

AD_CONSENT_RATE = 0.86
NIGHT_CONSENT_RATE = 0.28  # among friends with ad consent

PRE_WINDOW_SHARE = 0.60  # friends already there on 2026-05-01
PRE_WINDOW_DAYS = 540

# Spontaneous blocking, per friend per day, before source multipliers.
BASE_DAILY_BLOCK_HAZARD = 0.00035
# Friends who came for a giveaway (or an ad's offer): this share blocks within their first days, having got what they
# came for (mean days after adding). A cheap source can cost the most per friend who stays.
SOURCE_EARLY_BLOCK = {"이벤트": 0.45, "광고": 0.08}
EARLY_BLOCK_DAYS = 4.0

MSG_TYPE_SHARE = (0.25, 0.40, 0.20, 0.15)
MSG_TYPE_CLICK = {"기본 텍스트형": 0.045, "와이드 이미지형": 0.060, "와이드 리스트형": 0.066, "캐러셀형": 0.072}
UNIT_PRICE_KRW = {"기본 텍스트형": 15, "와이드 이미지형": 20, "와이드 리스트형": 20, "캐러셀형": 20}

# Click multiplier by send hour: noon beats 9 a.m.
HOUR_CLICK = {7: 0.70, 8: 0.75, 9: 0.78, 10: 0.90, 11: 1.05, 12: 1.18, 13: 1.10, 14: 1.00, 15: 0.95,
              16: 0.95, 17: 1.00, 18: 1.05, 19: 1.10, 20: 1.05, 21: 0.95, 22: 0.90, 23: 0.80}
WEEKEND_CLICK = 0.92
AD_CLICK = 0.92
TARGETED_CLICK = 2.5  # a message sent to the segment it was written for

# Blocking within 24 h of a delivered message.
BASE_BLOCK = 0.0019
# Fatigue: messages received in the previous 7 days.
FATIGUE_BLOCK = (1.0, 1.0, 1.15, 1.45, 1.9, 2.5, 3.2, 4.0, 4.8)
AD_BLOCK = 1.5
NIGHT_AD_BLOCK = 3.0  # an ad sent in the platform's night, 20:50-08:00
NO_LABEL_BLOCK = 2.6  # an ad without "(광고)"
DELIVERY_FAILURE = 0.015

PURCHASE_GIVEN_CLICK = 0.085
AD_PURCHASE = 1.3
ORDER_AMOUNT_MEDIAN = 33_000
ORDER_AMOUNT_SIGMA = 0.55
ORGANIC_ORDERS_PER_FRIEND = 0.30  # in the six months, mean over friends

# Staff: writers trained in a hands-on workshop write messages that click more.
N_WRITERS = 8
N_AGENTS = 5
WORKSHOP_CLICK = 1.18
WRITER_SPREAD = 0.07  # log-scale spread of writers' own skill

# Chats: faster first responses convert better; the bot answers the easy intents.
CHATS_PER_FRIEND = 0.30
INTENT_SHARE = (0.24, 0.14, 0.24, 0.10, 0.11, 0.09, 0.08)
BOT_INTENTS = {"배송 문의": 0.80, "쿠폰·이벤트": 0.75, "영업시간·매장": 0.90}
INTENT_CONVERSION_LOGIT = {"배송 문의": -3.6, "교환·반품": -3.2, "상품 문의": -1.1, "재입고 문의": -1.5,
                           "쿠폰·이벤트": -2.0, "영업시간·매장": -3.1, "불만·항의": -4.0}
RESPONSE_MINUTE_LOGIT = -0.2  # odds ratio per minute of first response ≈ 0.82
AGENT_RESPONSE_MEDIAN_S = 260
AGENT_RESPONSE_SIGMA = 0.85
AGENT_RESPONSE_CAP_S = 3_600
# Some intents take the agents longer (an order to look up, a complaint to read through): intent is a confounder of
# response time and conversion, which advanced/01's model controls for
AGENT_RESPONSE_INTENT = {"교환·반품": 1.4, "불만·항의": 1.8, "상품 문의": 0.8, "재입고 문의": 0.9}
CHAT_OPEN_HOURS = (9, 21)  # 1:1 chat is staffed 09:00-21:00

# A/B tests (each checked after drawing so the story holds on every seed).
SRM_THRESHOLD = 0.0005
