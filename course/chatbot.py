"""Kakao i Open Builder skills for the chatbot lesson (advanced/01): the format's limits, a sample request, the FAQ.

The limits are the ones the kakaobusiness guide to the skill response format (answer_json_format) states; nothing
here adds a limit Kakao does not document. A skill server receives a request (SkillPayload) when a block of the bot
calls it and must answer within 5 seconds with a SkillResponse: ``{"version": "2.0", "template": {"outputs": [...],
"quickReplies": [...]}}``.

This module gives learners the names and texts they need; it never builds or checks a response for them.
"""

from __future__ import annotations

import zlib

from .platform import value

# ----- SkillResponse 2.0 limits (카카오 문서 기준; the values and their sources: course.platform) --------------------------------------------------

SKILL_VERSION = "2.0"
"""The ``version`` field every SkillResponse must carry, as a string."""

OUTPUTS_MIN, OUTPUTS_MAX = value("챗봇 말풍선 수")
"""``template.outputs`` holds one to three outputs (speech bubbles)."""

QUICK_REPLIES_MAX = value("챗봇 바로가기 수")
"""``template.quickReplies`` holds at most ten quick replies."""

QUICK_REPLY_ACTIONS = ("message", "block")
"""What a quick reply may do: send its ``messageText`` as the user's words, or call a block (``blockId``)."""

SIMPLE_TEXT_MAX = value("챗봇 simpleText 글자 수")
"""A simpleText holds at most 1,000 characters (characters, not bytes)."""

SIMPLE_TEXT_FOLD = value("챗봇 simpleText 접힘")
"""Past this many characters a simpleText is shown folded (the user taps to read the rest); still allowed."""

BASIC_CARD_TITLE_MAX = value("챗봇 basicCard 제목")
"""A basicCard title holds at most 50 characters."""

BASIC_CARD_DESCRIPTION_MAX = value("챗봇 basicCard 설명")
"""A basicCard description holds at most 230 characters."""

BUTTONS_STACKED_MAX, BUTTON_LABEL_STACKED_MAX = value("챗봇 버튼 (세로)")
"""Buttons stacked one above another: at most three, each label at most 14 characters (the lesson's rule)."""

BUTTONS_SIDE_BY_SIDE_MAX, BUTTON_LABEL_SIDE_BY_SIDE_MAX = value("챗봇 버튼 (가로)")
"""Buttons side by side: at most two, each label at most 8 characters (not used by the lesson's validator)."""

BUTTON_ACTIONS = ("webLink", "message", "phone", "block", "share", "operator")
"""What a button may do; ``operator`` hands the chat over to a person (상담원 연결)."""

SKILL_TIMEOUT_SECONDS = value("챗봇 응답 시간")
"""A skill server must answer within five seconds."""

# ----- The rules the lesson's validator reports (one code per rule, each at most once) --------------

VALIDATION_CODES = {
    "버전": "version이 없거나 문자열 \"2.0\"이 아니에요.",
    "출력 개수": "template.outputs가 1~3개가 아니에요 (template이나 outputs가 없으면 0개).",
    "바로가기 개수": "template.quickReplies가 10개를 넘어요.",
    "바로가기 동작": "바로가기의 action이 \"message\"나 \"block\"이 아니에요.",
    "텍스트 길이": "simpleText의 text가 1,000자를 넘어요 (바이트가 아니라 글자 수).",
    "카드 제목": "basicCard의 title이 50자를 넘어요.",
    "카드 설명": "basicCard의 description이 230자를 넘어요.",
    "썸네일": "basicCard에 thumbnail이 없거나 thumbnail의 imageUrl이 없어요(빈 문자열 포함).",
    "버튼 개수": "basicCard의 buttons가 3개를 넘어요 (세로 배치 기준).",
    "버튼 이름": "basicCard 버튼의 label이 14자를 넘어요 (세로 배치 기준).",
    "버튼 동작": "basicCard 버튼의 action이 webLink, message, phone, block, share, operator가 아니에요.",
}
"""Code -> what breaks it. A validator returns the codes of the rules a response breaks (empty when valid)."""

# ----- The channel's FAQ bot -------------------------------------------------------------------------

FAQ_INTENTS = ("배송 문의", "쿠폰·이벤트", "영업시간·매장")
"""The intents the bot answers by itself."""

HANDOVER = "상담원 연결"
"""The word for handing a chat to a person: the quick reply, the button label, the rules' no-match label."""

FAQ_ANSWERS = {
    "배송 문의": "주문하신 상품은 결제 다음 날(주말·공휴일 제외) 출발하고, 보통 1~2일 안에 도착해요. "
                "배송 조회는 주문 내역의 '배송 조회' 버튼에서 송장번호로 할 수 있어요. "
                "제주·도서 산간은 2~3일 더 걸릴 수 있어요.",
    "쿠폰·이벤트": "친구 추가 쿠폰은 채널 추가 후 채팅방 메뉴의 '쿠폰함'에서 받을 수 있어요. "
                 "쿠폰은 결제 화면에서 적용하고, 유효기간은 발급일부터 14일이에요. "
                 "이벤트 당첨자는 채널 소식에서 발표해요.",
    "영업시간·매장": "오프라인 매장은 성수점 한 곳이고, 매일 11:00~20:00에 열어요(설·추석 당일 휴무). "
                  "1:1 채팅 상담은 매일 09:00~21:00에 상담원이 답해요.",
}
"""The bot's answer (a simpleText) for each FAQ intent."""

FRIEND_ONLY_NOTICE = "쿠폰과 이벤트는 채널 친구에게만 드려요. 채널을 추가하면 친구 추가 쿠폰을 바로 받을 수 있어요."
"""A second speech bubble for someone who asks about coupons without being a friend of the channel."""

HANDOVER_TITLE = "상담원에게 연결해 드릴게요"
"""Title of the basicCard that hands a chat over to a person."""

HANDOVER_DESCRIPTION_PREFIX = "문의하신 내용: "
"""The handover card's description starts with this, followed by the user's words."""

HANDOVER_IMAGE_URL = "https://example.com/images/handover.png"
"""Thumbnail of the handover card (a basicCard needs one)."""

ELLIPSIS = "…"
"""One character (U+2026) that ends a description cut to fit."""


def skill_request(utterance: str, intent: str = "폴백 블록", *, is_friend: bool | None = True,
                  user_id: str = "a1b2c3d4e5", params: dict | None = None) -> dict:
    """A skill request (SkillPayload) as Open Builder sends it, for trying a skill out.

    ``intent`` is the name of the block that called the skill; ``is_friend=None`` leaves ``isFriend`` out of the
    user's properties (a skill should not count on the key being there).
    """
    properties: dict = {"plusfriendUserKey": f"pf-{user_id}"}
    if is_friend is not None:
        properties["isFriend"] = is_friend
    block = {"id": f"block-{zlib.crc32(intent.encode('utf-8')) % 10_000:04d}", "name": intent}
    return {
        "intent": {"id": block["id"], "name": intent},
        "userRequest": {
            "timezone": "Asia/Seoul",
            "utterance": utterance,
            "lang": "ko",
            "block": block,
            "params": {"surface": "Kakaotalk.plusfriend"},
            "user": {"id": user_id, "type": "botUserKey", "properties": properties},
        },
        "bot": {"id": "bot-sosoliving", "name": "소소리빙 챗봇"},
        "action": {"id": "skill-faq", "name": "FAQ 스킬", "params": dict(params or {}), "detailParams": {},
                   "clientExtra": {}},
    }
