"""The course's words: one spelling and one definition per KPI and term, written once.

The build writes ``용어집.md`` (``page()``) beside every tier's lessons and each lesson links to it; a test fails when a
lesson, a hint or a message uses a spelling listed here as rejected (``REJECTED``).
"""

from __future__ import annotations

from dataclasses import dataclass

PAGE_NAME = "용어집.md"


@dataclass(frozen=True)
class Term:
    word: str
    meaning: str
    rejected: tuple[str, ...] = ()


SECTIONS: dict[str, tuple[Term, ...]] = {
    "친구와 메시지": (
        Term("친구 수", "어느 날 24시 기준, 그날까지 추가했고 그날까지 차단하지 않은 친구의 수."),
        Term("순증", "기간 안의 추가 − 기간 안의 차단 (`daily_stats`의 `added` − `blocked`)."),
        Term("도달", "메시지가 친구에게 실제로 전달된 것 (`delivered`가 참). 비율의 분모는 보낸 수가 아니라 도달 수."),
        Term("클릭률", "메시지를 클릭한 친구 수 ÷ 도달 수. 여러 메시지를 합칠 때는 메시지별 비율의 평균이 아니라 합계끼리 나눠요.",
             ("클릭 률", "CTR")),
        Term("차단율", "(메시지 기준) 메시지를 받고 24시간 안에 차단한 친구 수 ÷ 도달 수.", ("차단률",)),
        Term("30일 유지율", "추가한 뒤 30일 안에 차단하지 않은 친구의 비율. 30일이 다 지나지 않은 친구는 빼요."),
        Term("광고 메시지", "혜택·할인·이벤트를 알리는 메시지. 맨 앞에 `(광고)` 표기를 하고, 야간(21:00~08:00)에는 따로 동의한 친구에게만 보내요."),
        Term("타깃 발송", "세그먼트(성별·연령대·관심사 등)를 골라 그 친구들에게만 보내는 발송. 반대는 전체 발송.", ("타겟",)),
    ),
    "매출과 전환": (
        Term("7일 구매 전환율", "메시지를 받고 7일 안에 구매한 친구 수(`purchased_7d`) ÷ 도달 수. "
             "7일을 다 지켜본 것만 셉니다: 10월 24일 0시 전에 보낸 메시지만 (기록이 10월 31일에 끝나요).",
             ("7일 안 구매율",)),
        Term("상담 전환율", "상담을 시작하고 7일 안에 주문한 상담 수 ÷ 상담 수. 10월 24일 0시 전에 시작한 상담만 셉니다."),
        Term("메시지 기여 매출", "메시지 링크를 클릭하고 7일 안에 한 주문의 금액 합계. 기간은 메시지를 보낸 시각으로 잡아요."),
        Term("ROI", "(매출 − 비용) ÷ 비용. 매출 ÷ 비용(ROAS)과 섞지 않아요."),
        Term("클릭당 비용 · 구매당 비용", "발송 비용 ÷ 클릭 수, 발송 비용 ÷ 구매 수."),
    ),
    "실험과 통계": (
        Term("A/B 테스트", "친구를 무작위로 나눠 한 가지만 다르게 보내고 결과를 비교하는 실험. 분석 단위는 배정 단위(친구)와 같아요."),
        Term("1차 지표", "실험 전에 하나만 정해 두는, 결정을 내리는 지표."),
        Term("가드레일 지표", "나빠지면 안 되는 지표 (이 과정에서는 주로 차단율). 나빠지면 1차 지표가 좋아도 채택하지 않아요."),
        Term("배정 비율 불일치(SRM)", "설계한 배정 비율과 실제 인원이 어긋난 것. 카이제곱 적합도 검정 p < 0.001이면 결과를 쓰지 않아요."),
        Term("양측 검정", "차이가 어느 쪽이든 찾는 검정. 이 과정의 모든 검정은 미리 정한 양측 검정이에요.", ("양쪽 검정",)),
        Term("유의수준", "미리 정한 기준 확률 (이 과정은 0.05). p값이 이보다 작으면 유의해요.", ("유의 수준",)),
        Term("p값", "차이가 없다고 할 때 지금만큼(또는 더) 큰 차이가 나올 확률.", ("p-value", "p-값", "P값")),
        Term("신뢰구간", "추정값이 있을 만한 범위. 답에는 하한과 상한을 함께 적어요.", ("신뢰 구간",)),
        Term("하한 · 상한", "구간의 아래 끝과 위 끝."),
        Term("최소 검출 효과(MDE)", "실험이 잡아내려는 가장 작은 차이. 표본 크기는 기준값, MDE, 유의수준, 검정력으로 정해요.",
             ("검출 가능한 최소 효과", "최소 감지 효과")),
        Term("검정력", "효과가 정말 있을 때 유의하게 잡아낼 확률 (이 과정은 0.8)."),
        Term("판단 보류", "유의하지 않을 때의 결론. \"효과 없음\"이 아니라 \"이 자료로는 모른다\"예요."),
    ),
    "챗봇과 고객 관리": (
        Term("챗봇 처리율", "챗봇이 끝까지 응대한 상담 수 ÷ 전체 상담 수.", ("챗봇 커버리지",)),
        Term("정밀도", "규칙이 골라낸 것 가운데 맞게 고른 비율."),
        Term("재현율", "골라내야 할 것 가운데 규칙이 골라낸 비율."),
        Term("휴면 고객", "주문한 적은 있지만 최근 60일 동안 주문도 클릭도 없는 친구 (기준 시각 t의 [t − 60일, t)).", ("휴면 친구",)),
    ),
    "위기 대응": (
        Term("관리 한계", "조용한 기간의 평소 수준에서 정한, 넘으면 경보를 울리는 값."),
        Term("경보", "시간별 건수가 관리 한계를 넘은 첫 시간."),
        Term("감지 시간", "(경보 시간 + 1시간) − 사건 시작 시각. 한 시간의 건수는 그 시간이 끝나야 알 수 있어요."),
        Term("오경보", "사건이 없는데 울린 경보.", ("헛경보", "허위 경보")),
        Term("심각도(SEV)", "영향 친구 수와 초과 차단으로 미리 정한 표에 따라 매기는 등급. 애매하면 높은 등급."),
    ),
}

TERMS: tuple[Term, ...] = tuple(term for terms in SECTIONS.values() for term in terms)
REJECTED: dict[str, str] = {variant: term.word for term in TERMS for variant in term.rejected}


def page() -> str:
    """The glossary page in Markdown (what ``용어집.md`` holds)."""
    lines = ["# 용어집", "",
             "이 과정의 모든 수업은 아래 낱말과 정의를 그대로 써요. 답을 적을 때도 이 낱말을 써 주세요.", ""]
    for section, terms in SECTIONS.items():
        lines += [f"## {section}", "", "| 용어 | 뜻 | 이렇게 쓰지 않아요 |", "|---|---|---|"]
        lines += [f"| **{t.word}** | {t.meaning} | {', '.join(t.rejected)} |" for t in terms]
        lines.append("")
    return "\n".join(lines)
