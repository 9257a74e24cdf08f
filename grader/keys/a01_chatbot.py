"""Keys for advanced/01_chatbot (챗봇과 상담 자동화): keyword rules judged against the agents' labels, bot coverage,
an Open Builder SkillResponse 2.0 builder and validator, 상담 전환율 and what first-response time does to it.

The rule table is the lesson's starter table (ordered, first match wins, no match -> "상담원 연결"). Precision of an
intent = chats labelled X among chats the rules sent to X; recall = chats the rules sent to X among chats labelled X
(unmatched chats went to "상담원 연결", so they count against recall and in no intent's precision).

상담 전환율 and the conversion model count only chats whose 7 days are inside the record (course.windows.full_7d on
started_at, the course's one censoring rule). The model is ``smf.logit("converted ~ response_minutes + C(intent)")``
on agent chats (the population whose first-response goal is set), of the intents with at least one conversion among
them; its odds ratio per minute and 95% interval are ``exp`` of the coefficient and of ``conf_int()``. The generator
draws the agents' response times so that this model is the true one (course.datagen.chats.settle_agent_responses),
so the interval covers the designed ``exp(RESPONSE_MINUTE_LOGIT)`` on about 95% of seeds. The goal question predicts
those chats' 상담 전환율 with every first response over 5 minutes brought down to 5 (the rest kept): the mean of the
model's predicted probabilities, with its delta-method interval (``get_prediction(..., average=True)``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from course import load
from course.windows import full_7d
from course.chatbot import (BASIC_CARD_DESCRIPTION_MAX, BASIC_CARD_TITLE_MAX, BUTTON_ACTIONS,
                            BUTTON_LABEL_SIDE_BY_SIDE_MAX, BUTTON_LABEL_STACKED_MAX, BUTTONS_STACKED_MAX, ELLIPSIS,
                            FAQ_ANSWERS, FAQ_INTENTS, FRIEND_ONLY_NOTICE, HANDOVER, HANDOVER_DESCRIPTION_PREFIX,
                            HANDOVER_IMAGE_URL, HANDOVER_TITLE, OUTPUTS_MAX, OUTPUTS_MIN, QUICK_REPLIES_MAX,
                            QUICK_REPLY_ACTIONS, SIMPLE_TEXT_MAX, SKILL_VERSION, skill_request)

from . import question

RULES = (  # the lesson's starter table: (intent, keywords), top to bottom, the first match wins
    ("배송 문의", ("배송", "도착", "택배", "송장")),
    ("쿠폰·이벤트", ("쿠폰", "할인")),
    ("영업시간·매장", ("매장", "영업시간")),
    ("교환·반품", ("교환", "반품")),
    ("재입고 문의", ("재입고",)),
    ("불만·항의", ("광고", "너무", "실망")),
    ("상품 문의", ("크기", "소재", "색상", "추천", "세트", "포장")),
)
BOT, AGENT = "챗봇", "상담원"
TARGET_MINUTES = 5
GOAL = 0.10


def route_inquiry(text: str) -> str:
    for intent, words in RULES:
        if any(word in text for word in words):
            return intent
    return HANDOVER


# ----- 문제 1, 2: precision and recall per intent ----------------------------------------------------

def _routed() -> pd.DataFrame:
    chats = load("chats")
    return pd.DataFrame({"label": chats["intent"].astype(str), "routed": chats["inquiry"].map(route_inquiry)})


def _intents() -> list[str]:
    return [intent for intent, _ in RULES]


def _precision(rows: pd.DataFrame) -> pd.Series:
    return pd.Series({x: float((rows.loc[rows["routed"] == x, "label"] == x).mean()) for x in _intents()})


def _recall(rows: pd.DataFrame) -> pd.Series:
    return pd.Series({x: float((rows.loc[rows["label"] == x, "routed"] == x).mean()) for x in _intents()})


@question(
    "a01.intent_precision", variable="intent_precision", kind="table", decimals=3,
    hint="3절의 배송 문의 예제(to_delivery, is_delivery, hits)에서 정밀도는 hits / to_delivery.sum()이었어요. 이 계산을 "
         "INTENTS의 의도마다 되풀이해요: 규칙이 X로 보낸 상담 가운데 상담원 라벨(intent)도 X인 상담의 비율이에요. '상담원 연결'로 간 상담은 어느 의도의 분모에도 "
         "들어가지 않아요.",
    mistakes=(
        (lambda: _recall(_routed()),
         "분모를 '라벨이 X인 상담'으로 잡았어요. 그건 재현율이에요. 정밀도의 분모는 규칙이 X로 보낸 상담이에요."),
        (lambda: 100 * intent_precision(),
         "정밀도는 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("정밀도",),
)
def intent_precision() -> pd.Series:
    return _precision(_routed())


@question(
    "a01.intent_recall", variable="intent_recall", kind="table", decimals=3,
    hint="3절의 배송 문의 예제에서 재현율은 hits / is_delivery.sum()이었어요. 이 계산을 INTENTS의 의도마다 되풀이해요: 상담원 "
         "라벨(chats[\"intent\"])이 X인 상담 가운데 규칙(chats[\"routed\"])도 X로 보낸 상담의 비율이에요. 규칙에 안 걸려 '상담원 연결'로 간 상담도 "
         "분모에 넣어요.",
    mistakes=(
        (lambda: _precision(_routed()),
         "분모를 '규칙이 X로 보낸 상담'으로 잡았어요. 그건 정밀도예요. 재현율의 분모는 라벨이 X인 상담이에요."),
        (lambda: _recall(_routed().loc[lambda rows: rows["routed"] != HANDOVER]),
         "규칙에 안 걸린('상담원 연결') 상담을 분모에서 뺐어요. 놓친 상담도 라벨이 X이면 분모에 넣어요."),
        (lambda: 100 * intent_recall(),
         "재현율은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
    ),
    skills=("재현율",),
)
def intent_recall() -> pd.Series:
    return _recall(_routed())


# ----- 문제 3: bot coverage ---------------------------------------------------------------------------

def _handled() -> pd.Series:
    return load("chats")["handled_by"].astype(str)


@question(
    "a01.bot_coverage", variable="bot_coverage", kind="number", decimals=4,
    hint="1절의 pd.crosstab(chats[\"intent\"], chats[\"handled_by\"]) 표에서 본 열이에요. handled_by가 '챗봇'인 상담 수를 세어 전체 "
         "상담 수(len(chats), 상담원 상담도 포함)로 나눠요. FAQ 세 의도의 상담만 분모로 잡지 않아요.",
    mistakes=(
        (lambda: float((_handled() == BOT).sum() / load("chats")["intent"].astype(str).isin(FAQ_INTENTS).sum()),
         "분모를 FAQ 세 의도의 상담만으로 잡았어요. 챗봇 처리율의 분모는 전체 상담이에요."),
        (lambda: float((_handled() == BOT).sum() / (_handled() == AGENT).sum()),
         "챗봇 상담 ÷ 상담원 상담으로 나눴어요. 분모는 챗봇과 상담원을 합친 전체 상담이에요."),
    ),
    skills=("챗봇 처리율",),
)
def bot_coverage() -> float:
    return float((_handled() == BOT).mean())


# ----- 문제 4: build_skill_response ------------------------------------------------------------------

def _quick_reply(name: str) -> dict:
    return {"label": name, "action": "message", "messageText": name}


def _is_friend(request: dict) -> bool:
    return request["userRequest"]["user"]["properties"].get("isFriend") is True


def _description(utterance: str, *, cut: bool = True) -> str:
    text = HANDOVER_DESCRIPTION_PREFIX + utterance
    if cut and len(text) > BASIC_CARD_DESCRIPTION_MAX:
        text = text[:BASIC_CARD_DESCRIPTION_MAX - 1] + ELLIPSIS
    return text


def _template(request: dict, *, cut: bool = True, friend_check: bool = True) -> dict:
    intent = request["intent"]["name"]
    if intent in FAQ_INTENTS:
        outputs = [{"simpleText": {"text": FAQ_ANSWERS[intent]}}]
        if friend_check and intent == "쿠폰·이벤트" and not _is_friend(request):
            outputs.append({"simpleText": {"text": FRIEND_ONLY_NOTICE}})
        replies = [_quick_reply(name) for name in FAQ_INTENTS if name != intent] + [_quick_reply(HANDOVER)]
    else:
        card = {"title": HANDOVER_TITLE, "description": _description(request["userRequest"]["utterance"], cut=cut),
                "thumbnail": {"imageUrl": HANDOVER_IMAGE_URL}, "buttons": [{"label": HANDOVER, "action": "operator"}]}
        outputs = [{"basicCard": card}]
        replies = [_quick_reply(name) for name in FAQ_INTENTS]
    return {"outputs": outputs, "quickReplies": replies}


def _outputs_at_top(request: dict) -> dict:
    return {"version": SKILL_VERSION, **_template(request)}


def _version_number(request: dict) -> dict:
    return {"version": 2.0, "template": _template(request)}


def _no_cut(request: dict) -> dict:
    return {"version": SKILL_VERSION, "template": _template(request, cut=False)}


def _no_friend_check(request: dict) -> dict:
    return {"version": SKILL_VERSION, "template": _template(request, friend_check=False)}


LONG_WORDS = ("안녕하세요. 지난주에 주문한 수납 바구니 세트를 받았는데 하나는 모서리가 찢어져 있었고 다른 하나는 "
              "주문한 색이 아니라 다른 색이 왔어요. 사진도 찍어 두었어요. 교환을 받고 싶은데 회수는 언제 오는지, "
              "다시 보내 주실 때는 언제쯤 도착하는지 알고 싶어요. 선물로 드릴 거라 다음 주 토요일 전에는 꼭 받아야 "
              "해요. 그리고 포장 상자도 찌그러져 왔는데 이것도 같이 확인 부탁드려요. 번거롭게 해서 죄송합니다.")


def _words(n: int) -> str:
    """An utterance of exactly ``n`` characters."""
    return (LONG_WORDS * 2)[:n]


ROOM = BASIC_CARD_DESCRIPTION_MAX - len(HANDOVER_DESCRIPTION_PREFIX)  # utterance characters that fit uncut

BUILD_EXAMPLES = (
    ("배송 문의, 친구", skill_request("주문한 머그컵 언제 도착하나요?", "배송 문의")),
    ("쿠폰·이벤트, 친구가 아닌 사람", skill_request("친구 추가 쿠폰은 어디서 받아요?", "쿠폰·이벤트", is_friend=False)),
    ("상품 문의 (상담원에게)", skill_request("도마 소재가 뭔가요?", "상품 문의")),
    ("폴백 블록, 아주 긴 문의", skill_request(LONG_WORDS, "폴백 블록")),
    ("영업시간·매장, 친구", skill_request("주말에도 매장 여나요?", "영업시간·매장")),
)

BUILD_HIDDEN = (
    ("배송 문의, 친구가 아닌 사람", skill_request("택배사가 어디인가요?", "배송 문의", is_friend=False)),
    ("쿠폰·이벤트, 친구", skill_request("쿠폰이 적용이 안 돼요", "쿠폰·이벤트")),
    ("쿠폰·이벤트, isFriend 없음", skill_request("할인 쿠폰 유효기간이 언제까지인가요?", "쿠폰·이벤트", is_friend=None)),
    ("영업시간·매장, 친구가 아닌 사람", skill_request("오프라인 매장 어디 있어요?", "영업시간·매장", is_friend=False)),
    ("교환·반품", skill_request("사이즈가 안 맞아서 교환 원해요", "교환·반품")),
    ("불만·항의, 친구가 아닌 사람", skill_request("광고 메시지 그만 보내주세요", "불만·항의", is_friend=False)),
    ("재입고 문의", skill_request("러그 재입고 예정 있나요?", "재입고 문의")),
    ("상담원 연결 블록", skill_request("상담원 연결", "상담원 연결")),
    ("폴백 블록, 설명이 딱 230자", skill_request(_words(ROOM), "폴백 블록")),
    ("폴백 블록, 설명이 231자", skill_request(_words(ROOM + 1), "폴백 블록")),
    ("폴백 블록, 짧은 문의", skill_request("어제 주문했는데 오늘 출발하나요?", "폴백 블록")),
    ("상품 문의, 액션 파라미터가 있는 요청",
     skill_request("쿠션 커버 다른 색상도 있나요?", "상품 문의", params={"item": "쿠션 커버"})),
)


@question(
    "a01.build_skill_response", variable="build_skill_response", kind="function",
    hint="request[\"intent\"][\"name\"]이 FAQ 세 의도 가운데 하나면 simpleText 답과 바로가기(다른 두 FAQ + 상담원 연결), "
         "아니면 상담원 연결 basicCard와 바로가기(FAQ 세 개)예요. 결과는 {\"version\": \"2.0\", \"template\": {...}} 모양이에요.",
    mistakes=(
        (_outputs_at_top, "outputs와 quickReplies를 응답 맨 위에 뒀어요. 둘 다 \"template\" 안에 넣어요."),
        (_version_number, "version을 숫자 2.0으로 적었어요. 문자열 \"2.0\"이어야 해요."),
        (_no_cut, "긴 문의에서 카드 설명이 230자를 넘었어요. 229자까지 자르고 끝에 '…' 한 글자를 붙여요."),
        (_no_friend_check, "친구가 아닌 사람에게 쿠폰 안내(FRIEND_ONLY_NOTICE) 말풍선을 빠뜨렸어요."),
    ),
    examples=BUILD_EXAMPLES, hidden=BUILD_HIDDEN,
    skills=("챗봇 처리율",),
)
def build_skill_response(request: dict) -> dict:
    return {"version": SKILL_VERSION, "template": _template(request)}


# ----- 문제 5: validate_skill_response ---------------------------------------------------------------

def _broken(response: dict, *, check_version: bool = True, outputs_max: int = OUTPUTS_MAX, text_bytes: bool = False,
            label_max: int = BUTTON_LABEL_STACKED_MAX) -> list[str]:
    """The codes of course.chatbot.VALIDATION_CODES a response breaks; the switches give the common mistakes."""
    found: set[str] = set()
    if check_version and response.get("version") != SKILL_VERSION:
        found.add("버전")
    template = response.get("template") or {}
    outputs = template.get("outputs") or []
    if not OUTPUTS_MIN <= len(outputs) <= outputs_max:
        found.add("출력 개수")
    replies = template.get("quickReplies") or []
    if len(replies) > QUICK_REPLIES_MAX:
        found.add("바로가기 개수")
    if any(reply.get("action") not in QUICK_REPLY_ACTIONS for reply in replies):
        found.add("바로가기 동작")
    for output in outputs:
        if "simpleText" in output:
            text = output["simpleText"].get("text", "")
            size = len(text.encode("utf-8")) if text_bytes else len(text)
            if size > SIMPLE_TEXT_MAX:
                found.add("텍스트 길이")
        if "basicCard" in output:
            card = output["basicCard"]
            if len(card.get("title", "")) > BASIC_CARD_TITLE_MAX:
                found.add("카드 제목")
            if len(card.get("description", "")) > BASIC_CARD_DESCRIPTION_MAX:
                found.add("카드 설명")
            if not (card.get("thumbnail") or {}).get("imageUrl"):
                found.add("썸네일")
            buttons = card.get("buttons", [])
            if len(buttons) > BUTTONS_STACKED_MAX:
                found.add("버튼 개수")
            if any(len(button.get("label", "")) > label_max for button in buttons):
                found.add("버튼 이름")
            if any(button.get("action") not in BUTTON_ACTIONS for button in buttons):
                found.add("버튼 동작")
    return sorted(found)


def _no_version_check(response: dict) -> list[str]:
    return _broken(response, check_version=False)


def _four_outputs(response: dict) -> list[str]:
    return _broken(response, outputs_max=OUTPUTS_MAX + 1)


def _bytes(response: dict) -> list[str]:
    return _broken(response, text_bytes=True)


def _side_by_side(response: dict) -> list[str]:
    return _broken(response, label_max=BUTTON_LABEL_SIDE_BY_SIDE_MAX)


def _response(outputs: list | None = None, replies: list | None = None, **top) -> dict:
    template = {"outputs": outputs if outputs is not None else [{"simpleText": {"text": "안녕하세요"}}]}
    if replies is not None:
        template["quickReplies"] = replies
    return {"version": SKILL_VERSION, "template": template, **top}


def _card(**changes) -> dict:
    card = {"title": "상담원에게 연결해 드릴게요", "description": "문의하신 내용: 도마 소재가 뭔가요?",
            "thumbnail": {"imageUrl": HANDOVER_IMAGE_URL}, "buttons": [{"label": HANDOVER, "action": "operator"}]}
    card.update(changes)
    return {"basicCard": {key: value for key, value in card.items() if value is not None}}


def _text(n: int) -> dict:
    return {"simpleText": {"text": ("가나다라마바사아자차" * 200)[:n]}}


def _replies(n: int, action: str = "message") -> list[dict]:
    names = [f"메뉴 {k}" for k in range(1, n + 1)]
    return [{"label": name, "action": action, "messageText": name} for name in names]


def _button(label: str, action: str = "webLink") -> dict:
    return {"label": label, "action": action, "webLinkUrl": "https://example.com"}


VALIDATE_EXAMPLES = (
    ("문제 4 예시처럼 만든 올바른 응답", _response([_card()], _replies(3))),
    ("version이 없는 응답", {"template": {"outputs": [_text(20)]}}),
    ("말풍선 4개", _response([_text(10), _text(10), _text(10), _text(10)])),
    ("한글 400자 simpleText (1,200바이트)", _response([_text(400)])),
    ("버튼 이름 10자", _response([_card(buttons=[_button("주문 내역 확인하기")])])),
    ("바로가기 11개", _response([_text(30)], _replies(11))),
)

VALIDATE_HIDDEN = (
    ("simpleText 정확히 1,000자", _response([_text(1000)])),
    ("simpleText 1,001자", _response([_text(1001)])),
    ("version이 숫자 2.0", {"version": 2.0, "template": {"outputs": [_text(5)]}}),
    ("version이 \"1.0\"", _response(version="1.0")),
    ("template이 없음", {"version": "2.0"}),
    ("outputs가 빈 목록", _response([])),
    ("말풍선 3개, 바로가기 10개", _response([_text(5), _card(), _text(5)], _replies(10))),
    ("카드 제목 50자와 51자", _response([_card(title="가" * 50), _card(title="나" * 51)])),
    ("카드 설명 230자", _response([_card(description="다" * 230)])),
    ("카드 설명 231자", _response([_card(description="다" * 231)])),
    ("썸네일이 없는 카드", _response([_card(thumbnail=None)])),
    ("imageUrl이 빈 썸네일", _response([_card(thumbnail={"imageUrl": ""})])),
    ("버튼 3개 (14자 이름)", _response([_card(buttons=[_button("가" * 14), _button("상담원 연결", "operator"),
                                                      _button("전화하기", "phone")])])),
    ("버튼 4개, 15자 이름", _response([_card(buttons=[_button("나" * 15)] + [_button("보기")] * 3)])),
    ("버튼 동작이 link", _response([_card(buttons=[_button("자세히 보기", "link")])])),
    ("바로가기 동작이 webLink", _response([_text(5)], _replies(2, action="webLink"))),
    ("제목 없는 카드 (제목은 꼭 쓰지 않아도 돼요)", _response([_card(title=None, description=None)])),
    ("여러 규칙을 한꺼번에 어긴 응답",
     {"version": "2", "template": {"outputs": [_text(1200), _card(title="라" * 60, thumbnail=None), _text(3), _text(3)],
                                   "quickReplies": _replies(12, action="share")}}),
)


@question(
    "a01.validate_skill_response", variable="validate_skill_response", kind="function",
    hint="규칙표의 열한 가지를 차례로 확인해 어긴 규칙의 코드를 한 번씩만 list에 담아요. 글자 수는 len()으로 세고, "
         "버튼 이름은 세로 배치 기준(14자), 말풍선은 1~3개예요.",
    mistakes=(
        (_no_version_check, "version을 확인하지 않았어요. version이 없거나 \"2.0\"이 아니면 '버전'이에요."),
        (_four_outputs, "말풍선 4개를 통과시켰어요. outputs는 1~3개까지예요."),
        (_bytes, "글자 수를 바이트로 셌어요. 한글은 UTF-8에서 한 글자가 3바이트예요. len(text)로 글자 수를 세요."),
        (_side_by_side, "버튼 이름을 가로 배치 기준(8자)으로 봤어요. 이 수업의 규칙은 세로 배치 기준 14자예요."),
    ),
    examples=VALIDATE_EXAMPLES, hidden=VALIDATE_HIDDEN,
    skills=("챗봇 처리율",),
)
def validate_skill_response(response: dict) -> list[str]:
    return _broken(response)


# ----- 문제 6~8: 상담 전환율 and first-response time -------------------------------------------------

def _chats(censored: bool = False) -> pd.DataFrame:
    """The chats a 7-day rate counts (course.windows.full_7d on started_at); every chat with ``censored``."""
    chats = load("chats")
    if not censored:
        chats = chats[full_7d(chats["started_at"])]
    return chats.assign(response_minutes=chats["first_response_seconds"] / 60,
                        converted=chats["converted_7d"].astype(int), intent=chats["intent"].astype(str),
                        handled_by=chats["handled_by"].astype(str))


def _rate_table(rows: pd.DataFrame, column: str = "converted") -> pd.Series:
    return pd.Series({"전체": float(rows[column].mean()),
                      BOT: float(rows.loc[rows["handled_by"] == BOT, column].mean()),
                      AGENT: float(rows.loc[rows["handled_by"] == AGENT, column].mean())})


def _per_friend(rows: pd.DataFrame) -> pd.Series:
    def rate(part: pd.DataFrame) -> float:
        return float(part.groupby("friend_id")["converted"].max().mean())
    return pd.Series({"전체": rate(rows), BOT: rate(rows[rows["handled_by"] == BOT]),
                      AGENT: rate(rows[rows["handled_by"] == AGENT])})


@question(
    "a01.conversion_rate", variable="conversion_rate", kind="table", decimals=4,
    hint="상담 전환율 = 채팅 시작 후 7일 안에 주문이 이어진 상담(converted_7d) ÷ 상담 수예요. 먼저 full_7d(chats[\"started_at\"])로 "
         "10월 24일 0시 전에 시작한 상담만 남기고, 전체, 챗봇, 상담원 세 줄을 만들어요.",
    mistakes=(
        (lambda: 100 * conversion_rate(),
         "전환율은 0과 1 사이 소수로 적어 주세요. 100을 곱하지 않아요."),
        (lambda: _per_friend(_chats()),
         "친구 수로 나눴어요. 상담 전환율의 분모는 친구가 아니라 상담(채팅) 수예요."),
        (lambda: _rate_table(_chats(censored=True)),
         "10월 24일 0시 이후에 시작한 상담까지 셌어요. 그 상담은 7일이 기록 안에 다 들어오지 않아 전환이 적게 잡혀요. "
         "full_7d(chats[\"started_at\"])가 참인 상담만 세요."),
    ),
    skills=("상담 전환율",),
)
def conversion_rate() -> pd.Series:
    return _rate_table(_chats())


def _fit(formula: str, rows: pd.DataFrame):
    import statsmodels.formula.api as smf  # noqa: PLC0415 (only this lesson's keys need the formula API)

    model = smf.logit(formula, data=rows).fit(disp=0)
    if not model.mle_retvals["converged"]:
        raise RuntimeError(f"logit did not converge: {formula}")
    return model


def _model_rows(handlers: tuple[str, ...] = (AGENT,)) -> pd.DataFrame:
    """Agent chats (the population whose response time the goal is about) whose 7 days are in the record, of the
    intents with at least one conversion among them (an intent without any has no finite baseline: the fit does not
    converge)."""
    rows = _chats()
    rows = rows[rows["handled_by"].isin(handlers)]
    return rows[rows.groupby("intent")["converted"].transform("max") == 1]


FORMULA = "converted ~ response_minutes + C(intent)"


def _model(**rows):
    return _fit(FORMULA, _model_rows(**rows))


def _odds_table(model, term: str = "response_minutes", log: bool = False) -> pd.Series:
    low, high = model.conf_int().loc[term]
    values = (model.params[term], low, high) if log else np.exp((model.params[term], low, high))
    return pd.Series(dict(zip(("오즈비", "하한", "상한"), map(float, values))))


@question(
    "a01.odds_ratio_per_minute", variable="odds_ratio_per_minute", kind="table", decimals=3,
    hint="상담원 상담 가운데 full_7d로 센 상담, 전환이 한 건이라도 있는 유형만 남겨 "
         "smf.logit(\"converted ~ response_minutes + C(intent)\", data=...).fit(disp=0)로 적합하고, response_minutes의 계수와 "
         "conf_int()의 두 끝에 np.exp를 씌워 '오즈비', '하한', '상한'에 넣어요.",
    mistakes=(
        (lambda: _odds_table(_fit("converted ~ response_minutes", _model_rows())),
         "문의 유형(intent)을 모델에 넣지 않았어요. 유형마다 전환의 기준선과 응답 시간이 달라, 유형을 빼면 응답 시간의 효과가 "
         "유형의 차이와 섞여요."),
        (lambda: _odds_table(_model(handlers=(BOT, AGENT))),
         "챗봇 상담까지 넣어 적합했어요. 챗봇은 몇 초 만에 답해 응답 시간 목표와 상관이 없어요. 목표를 세울 상담원 상담만으로 맞춰요."),
        (lambda: _odds_table(_fit("converted ~ first_response_seconds + C(intent)", _model_rows()),
                             "first_response_seconds"),
         "초 단위로 적합했어요. 응답 시간을 분(초 ÷ 60)으로 바꿔 1분당 오즈비를 구해요."),
        (lambda: _odds_table(_model(), log=True),
         "계수(로그 오즈) 그대로예요. 계수와 구간의 두 끝에 np.exp를 씌워야 오즈비가 돼요."),
    ),
    skills=("상담 전환율",),
)
def odds_ratio_per_minute() -> pd.Series:
    return _odds_table(_model())


def _capped(rows: pd.DataFrame, *, cap_only: bool = True) -> pd.DataFrame:
    minutes = rows["response_minutes"].clip(upper=TARGET_MINUTES) if cap_only else float(TARGET_MINUTES)
    return rows.assign(response_minutes=minutes)


def _prediction_table(model, rows: pd.DataFrame, alpha: float = 0.05) -> pd.Series:
    """The mean predicted probability over ``rows`` with its delta-method interval (statsmodels, ``average=True``)."""
    frame = model.get_prediction(rows, average=True).summary_frame(alpha=alpha)
    return pd.Series({"예측": float(frame["predicted"].iloc[0]), "하한": float(frame["ci_lower"].iloc[0]),
                      "상한": float(frame["ci_upper"].iloc[0])})


def _row_means(model, rows: pd.DataFrame) -> pd.Series:
    """The mistake of averaging the per-chat interval ends (each chat's own interval) instead of one for the mean."""
    frame = model.get_prediction(rows).summary_frame()
    return pd.Series({"예측": float(frame["predicted"].mean()), "하한": float(frame["ci_lower"].mean()),
                      "상한": float(frame["ci_upper"].mean())})


@question(
    "a01.predicted_agent_conversion", variable="predicted_agent_conversion", kind="table", decimals=4,
    hint="문제 7의 모델과 그 모델을 맞춘 상담원 상담 표에서, 5분 넘게 걸린 첫 응답만 5분으로 바꾼(clip(upper=5)) 표를 "
         "model.get_prediction(표, average=True).summary_frame()에 넣으면 predicted(예측 확률의 평균), ci_lower, ci_upper가 나와요.",
    mistakes=(
        (lambda: _prediction_table(_fit("converted ~ response_minutes", _model_rows()), _capped(_model_rows())),
         "문의 유형(intent)을 뺀 모델로 예측했어요. 문제 7처럼 C(intent)를 넣은 모델을 써요."),
        (lambda: _prediction_table(_model(), _capped(_model_rows(), cap_only=False)),
         "모든 상담원 상담의 응답 시간을 5분으로 바꿨어요. 5분보다 빨랐던 상담은 그대로 두고, 넘은 것만 5분으로 당겨요."),
        (lambda: _prediction_table(_model(handlers=(BOT, AGENT)), _capped(_model_rows(handlers=(BOT, AGENT)))),
         "챗봇 상담까지 넣은 모델과 표로 예측했어요. 목표는 상담원 상담의 전환율이에요."),
        (lambda: _row_means(_model(), _capped(_model_rows())),
         "상담마다의 구간을 평균 냈어요. 평균 전환율의 구간은 get_prediction(..., average=True)로 한 번에 구해요 "
         "(상담 하나의 구간보다 좁아요)."),
    ),
    skills=("상담 전환율",),
)
def predicted_agent_conversion() -> pd.Series:
    return _prediction_table(_model(), _capped(_model_rows()))

