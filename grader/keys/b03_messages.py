"""Keys for beginner/03_message_rules (메시지 작성과 발송 규칙): ad rules, night sends, the 8:2 balance."""

from __future__ import annotations

import pandas as pd

from course import load
from course.composer import AD_WORDS, Draft, in_platform_night
from course.message_kinds import CASES
from course.platform import AD_NIGHT, in_ad_night, value

from . import question

# Ads: none from 20:50 to 08:00 (KST), whatever the friend agreed to: the platform takes no ad send then. The law's
# night (21:00-08:00, ads only with a separate night consent) lies inside it, and is the common mistake.
NIGHT_START, NIGHT_END = AD_NIGHT  # minutes of the day: 20:50, 08:00
LAW_NIGHT_START, LAW_NIGHT_END = (int(t.split(":")[0]) for t in value("야간 광고 (법)"))  # 21, 8 (hours)
AD_LABEL = value("광고 표기")
TEXT_LIMITS = {"기본 텍스트형": value("기본 텍스트형 글자 수"), "와이드 이미지형": value("와이드 이미지형 글자 수")}
ITEM_RANGES = {"와이드 리스트형": value("와이드 리스트 항목 수"), "캐러셀형": value("캐러셀 카드 수")}
BUTTON_LIMIT = value("버튼 이름 글자 수")


# ----- 문제 1: check_message ------------------------------------------------------------------

def _law_night(hours) -> bool:
    """The law's night read by the hour (21:00-08:00): the common mistake of a rule that begins at 20:50."""
    return (hours >= LAW_NIGHT_START) | (hours < LAW_NIGHT_END)


def _violations(message: dict, *, law_night: bool = False, consent_exempts: bool = False,
                label_anywhere: bool = False, length_for_ads_only: bool = False) -> set[str]:
    """The rule table of the lesson; the keyword switches give the common mistakes."""
    found = set()
    text = message["text"]
    is_ad = message["is_ad"]
    if is_ad:
        labelled = AD_LABEL in text if label_anywhere else text.lstrip().startswith(AD_LABEL)
        if not labelled:
            found.add("광고 표기")
        if not message["sender"].strip():
            found.add("발신자 정보")
        if not message["opt_out"].strip():
            found.add("수신 거부")
        moment = pd.Timestamp(message["sent_at"])
        night = _law_night(moment.hour) if law_night else in_platform_night(moment)
        if night and not (consent_exempts and message["night_consent_only"]):
            found.add("야간 발송")
    limit = TEXT_LIMITS.get(message["msg_type"])
    if limit is not None and len(text) > limit and (is_ad or not length_for_ads_only):
        found.add("글자 수")
    if any(len(name) > BUTTON_LIMIT for name in message["buttons"]):
        found.add("버튼 이름")
    if message["msg_type"] in ITEM_RANGES:
        low, high = ITEM_RANGES[message["msg_type"]]
        if not low <= message["items"] <= high:
            found.add("항목 수")
    return found


def _law_hours(message: dict) -> set[str]:
    return _violations(message, law_night=True)


def _consent_exempts(message: dict) -> set[str]:
    return _violations(message, consent_exempts=True)


def _label_anywhere(message: dict) -> set[str]:
    return _violations(message, label_anywhere=True)


def _length_for_ads_only(message: dict) -> set[str]:
    return _violations(message, length_for_ads_only=True)


def _message(msg_type="와이드 이미지형", is_ad=False, text="이번 주 택배는 금요일 오후 3시 주문까지 출발해요",
             sent_at="2026-07-14 12:00", sender="", opt_out="", buttons=("자세히 보기",), items=0,
             night_consent_only=False) -> dict:
    return {"msg_type": msg_type, "is_ad": is_ad, "text": text, "sent_at": sent_at, "sender": sender,
            "opt_out": opt_out, "buttons": list(buttons), "items": items, "night_consent_only": night_consent_only}


SENDER = "소소리빙 고객센터 1588-0000"
OPT_OUT = "수신 거부: 채널 홈에서 차단 (무료)"


def _ad(text="(광고) 여름 세일 시작, 전 품목 20% 할인", sender=SENDER, opt_out=OPT_OUT, **changes) -> dict:
    return _message(is_ad=True, text=text, sender=sender, opt_out=opt_out, **changes)


EXAMPLES = (
    ("정보성 와이드 이미지, 낮 12시", _message()),
    ("광고, 저녁 8시 55분, 모든 친구에게", _ad(sent_at="2026-07-14 20:55")),
    ("본문 중간에 (광고), 수신 거부 안내 없음",
     _ad(text="오늘만 특가! (광고) 인기 수납용품 1+1", opt_out="")),
    ("정보성 와이드 이미지, 본문 80자, 버튼 9자",
     _message(text="가" * 80, buttons=("자세히 보러 가기",))),
    ("광고 캐러셀 카드 7장, 밤 10시 반, 야간 동의 친구에게만",
     _ad(msg_type="캐러셀형", items=7, sent_at="2026-07-14 22:30", night_consent_only=True)),
)

HIDDEN = (
    ("광고, 아침 8시 정각", _ad(sent_at="2026-07-15 08:00")),
    ("광고, 아침 7시 59분", _ad(sent_at="2026-07-15 07:59")),
    ("광고, 저녁 8시 59분", _ad(sent_at="2026-07-15 20:59")),
    ("광고, 저녁 8시 50분 정각", _ad(sent_at="2026-07-15 20:50")),
    ("광고, 밤 9시 정각", _ad(sent_at="2026-07-15 21:00")),
    ("광고, 저녁 8시 49분", _ad(sent_at="2026-07-15 20:49")),
    ("앞에 공백이 있는 (광고)", _ad(text="  (광고) 친구 전용 타임 세일")),
    ("[광고]로 적은 광고", _ad(text="[광고] 친구 전용 타임 세일")),
    ("정보성, 밤 11시, 발신자·수신 거부 없음", _message(sent_at="2026-07-15 23:00")),
    ("광고, 발신자·수신 거부가 빈칸", _ad(sender=" ", opt_out="")),
    ("광고 와이드 이미지, 본문 정확히 76자", _ad(text="(광고) " + "나" * 71)),
    ("광고 와이드 이미지, 본문 77자", _ad(text="(광고) " + "나" * 72)),
    ("정보성 기본 텍스트 1301자", _message(msg_type="기본 텍스트형", text="다" * 1301, buttons=())),
    ("광고 기본 텍스트 1300자, 밤 10시", _ad(msg_type="기본 텍스트형", text="(광고) " + "다" * 1295,
                                   sent_at="2026-07-15 22:00")),
    ("정보성 와이드 리스트 2개 항목", _message(msg_type="와이드 리스트형", items=2)),
    ("정보성 와이드 리스트 4개 항목, 버튼 8자", _message(msg_type="와이드 리스트형", items=4, buttons=("여름 세일 보기",))),
    ("광고 캐러셀 카드 1장", _ad(msg_type="캐러셀형", items=1)),
    ("규칙을 여럿 어긴 광고",
     _ad(msg_type="와이드 리스트형", text="광고 전 품목 할인", sender="", opt_out="", items=5,
         sent_at="2026-07-16 06:30", buttons=("지금 바로 구매하기", "보기"))),
    ("야간 동의 친구에게만 보낸 새벽 광고", _ad(sent_at="2026-07-16 02:00", night_consent_only=True)),
)


@question(
    "b03.check_message", variable="check_message", kind="function",
    hint="광고 규칙 네 가지는 if message[\"is_ad\"]: 안에, 글자 수·버튼 이름·항목 수는 그 밖에 두세요. "
         "시각은 t = pd.Timestamp(message[\"sent_at\"])로 바꿔 t.hour * 60 + t.minute(자정부터 지난 분)로 보고, 표기는 message[\"text\"].lstrip().startswith(\"(광고)\")로 봐요 "
         "(2절 예제). check_message(examples[1])처럼 예시를 직접 넣어 확인해 보세요.",
    mistakes=(
        (_law_hours, "법의 야간(21:00~08:00)으로 봤어요. 카카오는 그보다 앞선 20:50부터 08:00 전까지 광고를 받지 않아요."),
        (_consent_exempts, "야간 수신에 동의한 친구에게만 보내면 된다고 봤어요. 법은 그렇지만, 카카오는 동의와 상관없이 "
                           "20:50~08:00에는 광고를 보내지 않아요."),
        (_label_anywhere, "\"(광고)\"가 본문 중간에 있어도 통과시켰어요. 표기는 메시지 맨 앞에 있어야 해요."),
        (_length_for_ads_only, "글자 수 규칙을 광고에만 적용했어요. 글자 수·버튼 이름·항목 수는 정보성 메시지에도 적용해요."),
    ),
    examples=EXAMPLES, hidden=HIDDEN,
    skills=("광고 메시지",),
)
def check_message(message: dict) -> set[str]:
    return _violations(message)


# ----- the log ---------------------------------------------------------------------------------

def _campaigns() -> pd.DataFrame:
    campaigns = load("campaigns")
    clock = campaigns["sent_at"].dt.hour * 60 + campaigns["sent_at"].dt.minute
    return campaigns.assign(night=in_ad_night(clock),
                            month=campaigns["sent_at"].dt.strftime("%Y-%m"))


def _ad_deliveries() -> pd.DataFrame:
    """Every row of an ad send, with the send's night flag and the friend's consents."""
    campaigns = _campaigns()
    ads = campaigns[campaigns["is_ad"]][["campaign_id", "night", "sent_at"]]
    friends = load("friends")[["friend_id", "ad_consent", "night_ad_consent"]]
    return load("deliveries").merge(ads, on="campaign_id").merge(friends, on="friend_id")


def _night_ads() -> set[str]:
    campaigns = _campaigns()
    return set(campaigns.loc[campaigns["is_ad"] & campaigns["night"], "campaign_id"])


# ----- 문제 2: noncompliant_ad_sends ------------------------------------------------------------

def _unlabelled_ads(campaigns: pd.DataFrame | None = None) -> set[str]:
    campaigns = _campaigns() if campaigns is None else campaigns
    return set(campaigns.loc[campaigns["is_ad"] & ~campaigns["title"].str.startswith(AD_LABEL), "campaign_id"])


@question(
    "b03.noncompliant_ad_sends", variable="noncompliant_ad_sends", kind="int",
    hint="campaign_id 모음 두 개를 set으로 만들어 합친(|) 뒤 len()을 세요. (1) title.str.startswith(\"(광고)\")가 "
         "거짓인 광고, (2) 20:50~08:00에 보낸 광고: 시각은 sent_at.dt.hour * 60 + sent_at.dt.minute (2절 예제와 같은 "
         "분 단위 비교).",
    mistakes=(
        (lambda: len(_night_ads()), "야간 발송만 봤어요. 낮에 \"(광고)\" 표기 없이 나간 광고도 세야 해요."),
        (lambda: len(set(_campaigns().loc[~_campaigns()["title"].str.startswith(AD_LABEL), "campaign_id"])
                     | _night_ads()),
         "정보성 메시지까지 셌어요. \"(광고)\" 표기는 광고에만 필요해요 (is_ad가 참인 발송만 보세요)."),
        (lambda: int(load("deliveries")["campaign_id"].isin(_unlabelled_ads() | _night_ads()).sum()),
         "받은 줄(deliveries)을 셌어요. 문제는 발송 건수(campaigns의 줄 수)예요."),
    ),
    skills=("광고 메시지",),
)
def noncompliant_ad_sends() -> int:
    return len(_unlabelled_ads() | _night_ads())


# ----- 문제 3: info_ad_ratio_by_month -----------------------------------------------------------

@question(
    "b03.info_ad_ratio_by_month", variable="info_ad_ratio_by_month", kind="table", decimals=3,
    hint="5절 예제의 (~campaigns[\"is_ad\"]).mean()을 달마다 나눠 구해요: campaigns[\"sent_at\"].dt.strftime(\"%Y-%m\")로 "
         "\"2026-05\" 같은 달 이름을 만들어 groupby에 넣으면 돼요.",
    mistakes=(
        (lambda: _campaigns().groupby("month")["is_ad"].mean(),
         "광고의 비중을 구했어요. 문제는 정보성 메시지의 비중이에요."),
        (lambda: 100 * info_ad_ratio_by_month(),
         "비중은 0과 1 사이 소수로 적어 주세요 (예: 0.8). 100을 곱하지 않아요."),
        (lambda: (load("deliveries").query("delivered").merge(_campaigns(), on="campaign_id")
                  .assign(info=lambda rows: ~rows["is_ad"]).groupby("month")["info"].mean()),
         "도달한 메시지 수로 비중을 냈어요. 발송 건수(campaigns의 줄 수)로 세요."),
    ),
    skills=("광고 메시지",),
)
def info_ad_ratio_by_month() -> pd.Series:
    campaigns = _campaigns()
    sends = campaigns.groupby("month").size()
    info = campaigns[~campaigns["is_ad"]].groupby("month").size().reindex(sends.index, fill_value=0)
    return info / sends


# ----- 문제 4: night_ad_friends -----------------------------------------------------------------

def _night_rows(*, delivered_only: bool = True, unconsented_only: bool = False, law_hours: bool = False) -> set[str]:
    rows = _ad_deliveries()
    keep = _law_night(rows["sent_at"].dt.hour) if law_hours else rows["night"]
    if delivered_only:
        keep &= rows["delivered"]
    if unconsented_only:
        keep &= ~rows["night_ad_consent"]
    return set(rows.loc[keep, "friend_id"])


@question(
    "b03.night_ad_friends", variable="night_ad_friends", kind="idset",
    hint="campaigns에서 20:50~08:00에 보낸 광고의 campaign_id를 고르고(시각은 분 단위로), deliveries에서 그 "
         "campaign_id(isin)이면서 delivered가 참인 줄의 friend_id를 모아요. set(...)으로 감싸면 중복이 빠져요.",
    mistakes=(
        (lambda: _night_rows(delivered_only=False), "도달하지 못한 메시지(delivered가 거짓)의 친구까지 넣었어요. 받은 친구만 세요."),
        (lambda: _night_rows(unconsented_only=True),
         "야간 수신에 동의한 친구를 뺐어요. 카카오는 동의와 상관없이 20:50~08:00에 광고를 보내지 않으니, 받은 친구 모두예요."),
        (lambda: _night_rows(law_hours=True),
         "법의 야간(21시~8시)을 시(hour)로만 봤어요. 20:50부터가 카카오의 야간이라 20:55에 보낸 광고도 들어가요."),
    ),
    skills=("광고 메시지", "도달"),
)
def night_ad_friends() -> set[str]:
    return _night_rows()


# ----- 문제 5: night_ad_block_rate --------------------------------------------------------------

def _night_ad_rows() -> pd.DataFrame:
    rows = _ad_deliveries()
    return rows[rows["night"]]


@question(
    "b03.night_ad_block_rate", variable="night_ad_block_rate", kind="number", decimals=5,
    hint="4절 예제(낮 시간 광고의 차단율)와 같은 방법이에요: 20:50~08:00에 보낸 광고의 campaign_id로 reached(도달한 줄)를 "
         "고르고 blocked_24h 합계 ÷ 줄 수. 시각은 campaigns[\"sent_at\"].dt.hour * 60 + .dt.minute로 봐요.",
    mistakes=(
        (lambda: float(_night_ad_rows()["blocked_24h"].sum() / len(_night_ad_rows())),
         "분모에 도달하지 못한 메시지까지 넣었어요. 차단율의 분모는 도달한 메시지 수(delivered)예요."),
        (lambda: 100 * night_ad_block_rate(),
         "차단율은 0과 1 사이 소수로 적어 주세요 (예: 0.0123). 100을 곱하지 않아요."),
        (lambda: float(_ad_deliveries().loc[lambda rows: rows["delivered"] & _law_night(rows["sent_at"].dt.hour),
                                            "blocked_24h"].mean()),
         "법의 야간(21시~8시)을 시(hour)로만 봤어요. 20:50부터가 카카오의 야간이라 20:55에 보낸 광고도 들어가요."),
    ),
    skills=("차단율", "광고 메시지"),
)
def night_ad_block_rate() -> float:
    delivered = _night_ad_rows().query("delivered")
    return float(delivered["blocked_24h"].sum() / len(delivered))


# ----- 문제 6: ad_messages ------------------------------------------------------------------------

KINDS = {1: "정보성", 2: "광고성", 3: "광고성", 4: "정보성", 5: "광고성", 6: "정보성", 7: "광고성", 8: "정보성",
         9: "정보성", 10: "광고성", 11: "광고성", 12: "정보성"}
"""By the KISA guide: 1 거래 확인, 2 거래 안내에 쿠폰이 섞임, 3 신상품 소개 (혜택 낱말 없음), 4 이용 안내 (적립금 소멸),
5 적립금 소멸에 상품 추천이 섞임, 6 요청한 1회성 정보, 7 거래했던 고객에게도 신상품 소개는 광고, 8 리콜, 9 회원 등급 변경,
10 생일 쿠폰, 11 경품 이벤트, 12 이용 안내 (점검). The whole set is judged at once: with two values per message a check
that named the wrong ones would give the answer away."""
MIXED = {2, 5}  # information with an offer in it
TRADE = {7}  # an ad to customers who bought before


def _ads(kinds: dict[int, str] = KINDS) -> set[int]:
    return {number for number, kind in kinds.items() if kind == "광고성"}


@question(
    "b03.ad_messages", variable="ad_messages", kind="idset",
    hint="6절의 표를 한 통씩 대 보세요. 네 가지 예외(거래 확인, 산 상품의 안내, 요청한 1회성 정보, 이용 안내) 가운데 하나이고 "
         "혜택·상품 추천이 하나도 섞이지 않았을 때만 정보성이에요. 광고성인 번호만 6절 예제의 example_ads처럼 set으로 모아요.",
    mistakes=(
        (lambda: _ads() - MIXED,
         "정보에 광고가 섞인 메시지를 정보성으로 봤어요. 배송·적립금 안내라도 쿠폰이나 상품 추천이 들어가면 전체가 광고성이에요."),
        (lambda: {n for n, text in CASES.items() if any(word in text for word in AD_WORDS)},
         "할인·쿠폰·적립 같은 낱말만 보고 골랐어요. 신상품 소개는 혜택 낱말이 없어도 광고성이고, 적립금 소멸 안내는 정보성이에요."),
        (lambda: _ads() - TRADE,
         "거래했던 고객에게 보내는 상품 소개를 정보성으로 봤어요. 거래 관계 예외는 수신 동의만 면해 줄 뿐, 광고는 광고예요."),
        (lambda: set(CASES) - _ads(),
         "정보성인 메시지를 골랐어요. 모을 것은 광고성인 메시지의 번호예요."),
    ),
    skills=("광고 메시지",), chosen=True,
)
def ad_messages() -> set[int]:
    return _ads()


# ----- 문제 7: sale_draft ---------------------------------------------------------------------------

@question(
    "b03.sale_draft", variable="sale_draft", kind="draft", brief="가을 정기 세일",
    hint="7절 예제의 Draft(...)를 브리프에 맞게 고쳐요: 광고 설정(is_ad), 대상(target, group_size), 예약(send_at), 본문의 "
         "첫 줄과 혜택, 버튼. problems(초안, now=\"2026-10-11 10:00\")가 빈 list인지도 봐요.",
    skills=("광고 메시지",), chosen=True,
)
def sale_draft() -> Draft:
    return Draft(msg_type="와이드 이미지형", text="거실 소품 최대 30% 할인\n가을 정기 세일, 10월 18일(일)까지예요.",
                 buttons=["세일 보기"], target="친구그룹", group_size=3200, is_ad=True, send_at="2026-10-12 12:00")
