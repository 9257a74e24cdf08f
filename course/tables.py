"""The shape of every course table: columns, types, units and Korean descriptions.

One description serves three jobs: the generator writes columns in this order, ``course.load``
parses them into these types, and the data dictionary (``datasets/README.md``) is written from it.
"""

from __future__ import annotations

from dataclasses import dataclass

# Column kinds: how a column is stored in CSV and what dtype ``load`` gives it.
#   id       text identifier (pandas "string")
#   int      whole number (Int64, empty = missing)
#   float    decimal number (float64)
#   bool     0/1 in the file, bool when loaded
#   datetime "YYYY-MM-DD HH:MM:SS" in KST, datetime64 when loaded
#   date     "YYYY-MM-DD", datetime64 (midnight) when loaded
#   category Korean label, pandas Categorical
#   text     free text (pandas "string")
KINDS = ("id", "int", "float", "bool", "datetime", "date", "category", "text")

DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"
DATE_FORMAT = "%Y-%m-%d"


# Category labels as staff see them in the admin center, in their natural order.
SOURCES = ("채널 검색", "광고", "이벤트", "오프라인 QR", "지인 추천")
GENDERS = ("여성", "남성", "알 수 없음")
AGE_BANDS = ("10대", "20대", "30대", "40대", "50대 이상")
REGIONS = ("서울", "경기·인천", "부산·경남", "대구·경북", "광주·전라", "대전·충청", "강원·제주")
INTERESTS = ("인테리어", "주방용품", "문구", "패션잡화", "반려동물")
MSG_TYPES = ("기본 텍스트형", "와이드 이미지형", "와이드 리스트형", "캐러셀형")
INTENTS = ("배송 문의", "교환·반품", "상품 문의", "재입고 문의", "쿠폰·이벤트", "영업시간·매장", "불만·항의")
HANDLERS = ("챗봇", "상담원")
ROLES = ("메시지 작성", "채팅 상담")
LEVELS = ("초급", "중급", "고급")
TRAINING = ("실습 워크숍", "온라인 강의")
ARMS = ("A", "B", "C", "D")
INCIDENT_KINDS = ("사건 시작", "시간별 차단", "시간별 채팅", "시간별 항의 채팅", "메시지 발송", "채팅", "오발송 수신", "중복 발송", "중복 수령")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    meaning: str
    unit: str = ""
    nullable: bool = False
    categories: tuple[str, ...] | None = None  # fixed order; None = whatever the data holds


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    grain: str
    columns: tuple[Column, ...]

    @property
    def file_name(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


C = Column

TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "friends",
            "친구",
            "친구 한 명당 한 행 (채널을 한 번이라도 추가한 사람)",
            (
                C("friend_id", "id", "친구 ID"),
                C("added_at", "datetime", "채널을 추가한 시각", "KST"),
                C("source", "category", "친구가 된 경로 (채널 검색, 광고, 이벤트, 오프라인 QR, 지인 추천)", categories=SOURCES),
                C("gender", "category", "성별 (여성, 남성, 알 수 없음)", categories=GENDERS),
                C("age_band", "category", "연령대 (10대 ~ 50대 이상)", categories=AGE_BANDS),
                C("region", "category", "지역", categories=REGIONS),
                C("interest", "category", "관심 카테고리 (인테리어, 주방용품, 문구, 패션잡화, 반려동물)", categories=INTERESTS),
                C("ad_consent", "bool", "쇼핑몰 회원 정보(CRM)의 광고성 정보 수신(마케팅) 동의 여부"),
                C("night_ad_consent", "bool", "쇼핑몰 회원 정보(CRM)의 야간(21:00~08:00) 광고 수신 별도 동의 여부 (채널 메시지 광고는 동의와 상관없이 20:50~08:00에 못 보내요)"),
                C("blocked_at", "datetime", "채널을 차단한 시각 (차단하지 않았으면 비어 있음)", "KST", True),
            ),
        ),
        Table(
            "campaigns",
            "메시지 발송",
            "발송한 메시지 한 건당 한 행 (A/B 테스트는 안(arm)마다 한 행)",
            (
                C("campaign_id", "id", "메시지 ID"),
                C("sent_at", "datetime", "발송 시각", "KST"),
                C("msg_type", "category", "메시지 유형 (기본 텍스트형, 와이드 이미지형, 와이드 리스트형, 캐러셀형)", categories=MSG_TYPES),
                C("is_ad", "bool", "광고성 메시지 여부 (아니면 정보성)"),
                C("title", "text", "메시지 제목 (광고는 표기가 있으면 \"(광고)\"로 시작)"),
                C("body_length", "int", "본문 글자 수", "자"),
                C("has_ad_label", "bool", "\"(광고)\" 표기 여부 (정보성 메시지는 항상 0)"),
                C("target", "category", "발송 대상 (전체, 또는 세그먼트 이름)"),
                C("n_targeted", "int", "발송 대상 친구 수", "명"),
                C("cost_krw", "int", "발송 비용 (도달한 메시지 수 × 건당 단가)", "원"),
                C("ab_test", "id", "A/B 테스트 ID (테스트가 아니면 비어 있음)", "", True),
                C("arm", "category", "A/B 테스트의 안 (A, B, C, D; 테스트가 아니면 비어 있음)", "", True, ARMS),
                C("author", "id", "메시지를 작성한 직원 ID (staff.staff_id)"),
            ),
        ),
        Table(
            "deliveries",
            "메시지 수신",
            "메시지 한 건 × 대상 친구 한 명당 한 행",
            (
                C("campaign_id", "id", "메시지 ID (campaigns.campaign_id)"),
                C("friend_id", "id", "친구 ID (friends.friend_id)"),
                C("delivered", "bool", "도달 여부 (발송 실패면 0)"),
                C("clicked", "bool", "메시지 링크·버튼 클릭 여부"),
                C("clicked_at", "datetime", "첫 클릭 시각 (클릭하지 않았으면 비어 있음)", "KST", True),
                C("blocked_24h", "bool", "발송 후 24시간 안에 채널을 차단했는지"),
                C("purchased_7d", "bool", "이 메시지 링크로 들어와 클릭 후 7일 안에 주문했는지"),
                C("purchase_amount_krw", "int", "그 주문 금액 합계 (구매가 없으면 0)", "원"),
            ),
        ),
        Table(
            "daily_stats",
            "일별 통계",
            "하루 한 행 (관리자센터 통계 내보내기와 같은 모양)",
            (
                C("date", "date", "날짜", "KST"),
                C("friends_total", "int", "그날 24시 기준 친구 수 (차단한 친구 제외)", "명"),
                C("added", "int", "그날 채널을 추가한 친구 수", "명"),
                C("blocked", "int", "그날 채널을 차단한 친구 수", "명"),
                C("messages_delivered", "int", "그날 도달한 메시지 수", "건"),
                C("message_clicks", "int", "그날 보낸 메시지를 클릭한 친구 수 (메시지별 중복 없이 센 뒤 합계)", "명"),
                C("chat_requests", "int", "그날 시작된 1:1 채팅 수", "건"),
                C("channel_home_views", "int", "채널 홈 조회수 (관리자센터 집계만 있고 원본 로그는 없음)", "회"),
            ),
        ),
        Table(
            "chats",
            "1:1 채팅 상담",
            "채팅 상담 한 건당 한 행",
            (
                C("chat_id", "id", "상담 ID"),
                C("friend_id", "id", "친구 ID (friends.friend_id)"),
                C("started_at", "datetime", "채팅 시작 시각", "KST"),
                C("first_response_seconds", "int", "첫 응답까지 걸린 시간", "초"),
                C("inquiry", "text", "고객이 보낸 첫 문의 내용"),
                C("intent", "category", "문의 유형 (상담원이 붙인 정답 라벨)", categories=INTENTS),
                C("handled_by", "category", "응대 주체 (챗봇, 상담원)", categories=HANDLERS),
                C("agent", "id", "응대한 상담원 직원 ID (챗봇이 끝까지 응대했으면 비어 있음)", "", True),
                C("converted_7d", "bool", "채팅 시작 후 7일(168시간) 안에 같은 친구의 주문이 있었는지"),
                C("satisfaction", "int", "상담 만족도 (1~5점, 응답하지 않았으면 비어 있음)", "점", True),
            ),
        ),
        Table(
            "orders",
            "주문",
            "주문 한 건당 한 행",
            (
                C("order_id", "id", "주문 ID"),
                C("friend_id", "id", "주문한 친구 ID (friends.friend_id)"),
                C("ordered_at", "datetime", "주문 시각", "KST"),
                C("amount_krw", "int", "결제 금액", "원"),
                C("coupon", "category", "사용한 쿠폰 (없으면 비어 있음)", "", True),
                C("campaign_id", "id", "주문으로 이어진 메시지 ID (메시지 링크로 들어온 주문만, 나머지는 비어 있음)", "", True),
            ),
        ),
        Table(
            "experiments",
            "A/B 테스트",
            "테스트 한 개 × 배정된 친구 한 명당 한 행 (메시지가 도달한 친구만)",
            (
                C("experiment_id", "id", "테스트 ID (campaigns.ab_test)"),
                C("experiment", "category", "테스트 이름"),
                C("arm", "category", "배정된 안 (A, B, C, D)", categories=ARMS),
                C("variant", "category", "그 안의 내용"),
                C("planned_share", "float", "설계할 때 정한 이 안의 배정 비율", "0~1"),
                C("friend_id", "id", "친구 ID (friends.friend_id)"),
                C("campaign_id", "id", "이 안으로 보낸 메시지 ID (campaigns.campaign_id)"),
                C("clicked", "bool", "클릭 여부 (deliveries.clicked와 같음)"),
                C("purchased_7d", "bool", "7일 안 구매 여부 (deliveries.purchased_7d와 같음)"),
                C("blocked_24h", "bool", "메시지를 받고 24시간 안에 차단했는지 (deliveries.blocked_24h와 같음, 가드레일 지표)"),
            ),
        ),
        Table(
            "staff",
            "채널 운영팀",
            "직원 한 명당 한 행",
            (
                C("staff_id", "id", "직원 ID"),
                C("name", "text", "이름 (가상 인물)"),
                C("role", "category", "담당 업무 (메시지 작성, 채팅 상담)", categories=ROLES),
                C("level", "category", "숙련도 (초급, 중급, 고급)", categories=LEVELS),
                C("training", "category", "받은 교육 방식 (실습 워크숍, 온라인 강의)", categories=TRAINING),
                C("trained_on", "date", "교육을 마친 날", "KST"),
            ),
        ),
        Table(
            "incidents",
            "위기 시나리오",
            "위기 대응 훈련용 사건 기록 한 줄당 한 행 (채널 로그 뒤에 이어지는 가상의 14일씩, 시나리오 4개)",
            (
                C("scenario_id", "id", "시나리오 ID"),
                C("scenario", "category", "시나리오 이름 (모니터링 기간)"),
                C("at", "datetime", "시각 (시간별 집계는 그 시간의 시작)", "KST"),
                C("kind", "category", "기록 종류 (사건 시작(사후 조사로 확인한 시작 시각), 시간별 차단, 시간별 채팅, 시간별 항의 채팅, 메시지 발송, 채팅, 오발송 수신, 중복 발송, 중복 수령)", categories=INCIDENT_KINDS),
                C("count", "int", "건수 (시간별 집계·발송 인원)", "건", True),
                C("text", "text", "채팅·메시지 내용, 사건 시작이면 사후 조사 내용", "", True),
                C("friend_id", "id", "관련 친구 ID (friends.friend_id)", "", True),
            ),
        ),
    )
}
