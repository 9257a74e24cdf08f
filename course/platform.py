"""Platform facts the lessons state, each with its public source and the month it was checked: one place per fact.

The limits the course's checks enforce are read from here (``LIMITS``), the glossary page lists every fact with its
source (``page_section``), and a test holds each limit a lesson states against this table. Where sources disagree,
``disagree`` says how, and the lesson says so too. Facts a source gives only as a vendor's or reseller's word are
marked ``unverified``: a lesson may give them as a range, never as Kakao's own rule.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    key: str
    value: object
    statement: str  # what the fact says, in the course's words
    source: str  # the public source, by name
    url: str  # the site the source is on (the source names the page)
    checked: str  # the month it was checked against the live page
    disagree: str = ""
    unverified: bool = False


OPEN_BUILDER = "https://kakaobusiness.gitbook.io/main/tool/chatbot/skill_guide/answer_json_format"

FACTS: tuple[Fact, ...] = (
    Fact("기본 텍스트형 글자 수", 1300, "기본 텍스트형 본문은 1,300자 이하, 줄바꿈 99개 이하",
         "카카오모먼트 메시지 광고 운영 가이드", "https://kakaobusiness.gitbook.io/main", "2026-12",
         disagree="관리자센터의 '쉬운 메시지광고' 화면은 400자(이미지가 있으면 300자)로 더 짧게 제한해요."),
    Fact("와이드 이미지형 글자 수", 76, "와이드 이미지형 본문은 76자 이하", "카카오 개발자 문서 (메시지 유형)",
         "https://developers.kakao.com/docs", "2026-12"),
    Fact("이미지형 글자 수", 400, "이미지형(브랜드 메시지) 본문은 400자 이하", "NHN Cloud 브랜드 메시지 API 안내",
         "https://docs.nhncloud.com", "2026-12"),
    Fact("버튼 이름 글자 수", 8, "버튼 이름은 한 개마다 8자 이하", "카카오 개발자 문서 (메시지 유형)",
         "https://developers.kakao.com/docs", "2026-12"),
    Fact("와이드 리스트 항목 수", (3, 4), "와이드 리스트형은 항목 3~4개", "카카오 개발자 문서 · 광고 대행사 안내 문서",
         "https://developers.kakao.com/docs", "2026-12"),
    Fact("캐러셀 카드 수", (2, 6), "캐러셀형은 카드 2~6장", "카카오 개발자 문서 · 광고 대행사 안내 문서",
         "https://developers.kakao.com/docs", "2026-12"),
    Fact("야간 광고 (법)", ("21:00", "08:00"), "21:00부터 다음 날 08:00 전까지 광고는 야간 광고 수신에 따로 동의한 사람에게만",
         "정보통신망법 제50조 제3항", "https://www.law.go.kr/법령/정보통신망이용촉진및정보보호등에관한법률/제50조", "2026-12",
         disagree="카카오 플랫폼은 이보다 먼저 광고 발송을 막아요: 20:50~08:00 (NHN Cloud 브랜드 메시지 안내), "
                  "옛 친구톡은 20:00~08:00 (다른 대행사 안내)."),
    Fact("야간 광고 (플랫폼)", ("20:50", "08:00"), "카카오는 20:50부터 다음 날 08:00까지 광고 발송을 받지 않아요",
         "NHN Cloud 브랜드 메시지 안내",
         "https://docs.nhncloud.com", "2026-12",
         disagree="옛 친구톡은 20:00~08:00이라는 대행사 안내도 있어요."),
    Fact("광고 표기", "(광고)", "광고 메시지는 맨 앞에 (광고)를 적고 보내는 사람과 무료 수신 거부 방법을 밝혀요",
         "한국인터넷진흥원(KISA) 불법 스팸 방지 안내서 · 정보통신망법 제50조 제4항",
         "https://spam.kisa.or.kr", "2026-12"),
    Fact("정보성 메시지 (법의 예외)", "거래 확인·산 상품의 안내·요청한 1회성 정보·이용 안내",
         "광고가 아닌 정보: 맺은 거래를 마치거나 확인하는 정보, 산 상품의 설명·보증·리콜·안전 정보, 고객이 요청해 한 번 "
         "보내는 정보, 이용과 관련한 안내(회원 등급 변경, 적립금 소멸 등). 광고가 섞이면 전체가 광고성이에요",
         "한국인터넷진흥원(KISA) 불법 스팸 방지를 위한 정보통신망법 안내서 (제5차 개정판, 2022)",
         "https://spam.kisa.or.kr", "2026-12",
         disagree="원문 대신 안내서를 옮긴 공개 요약으로 확인했어요 (원문은 KISA 불법스팸대응센터 자료실). 문자 발송 "
                  "대행사 가운데는 안부·휴무 안내도 광고로 보라는 곳이 있어요 (더 보수적인 안내)."),
    Fact("거래 관계 예외", 6, "거래한 날부터 6개월 안에 같은 종류의 상품 광고는 수신 동의 없이 보낼 수 있어요. 광고 표기와 "
         "수신 거부 안내는 그대로 필요해요", "정보통신망법 제50조 제1항 제1호",
         "https://www.law.go.kr/법령/정보통신망이용촉진및정보보호등에관한법률/제50조", "2026-12"),
    Fact("게시물 삭제·임시조치", 30, "명예훼손처럼 권리를 침해하는 글은 그 글이 있는 서비스에 삭제나 반박 글 게재를 요청할 수 "
         "있고, 서비스가 판단하기 어려우면 30일 이내로 글을 가려요 (임시조치)", "정보통신망법 제44조의2",
         "https://www.law.go.kr/법령/정보통신망이용촉진및정보보호등에관한법률/제44조의2", "2026-12"),
    Fact("친구 추가 광고 과금", "CPA", "카카오모먼트의 친구 추가 목적 캠페인(비즈보드·디스플레이)은 광고를 누르고 24시간 안에 친구 "
         "추가가 일어나면 과금해요 (CPA). 그 밖의 과금은 CPC, CPM, CPMS, CPT", "카카오 비즈니스 고객센터 (카카오모먼트 과금방식)",
         "https://cs.kakao.com", "2026-12"),
    Fact("메시지 광고 단가", (15, 20), "카카오모먼트 메시지 광고는 건당 15원, 맞춤 타깃이나 성별·연령·지역을 고르면 20원 (CPMS)",
         "카카오 비즈니스 고객센터 (메시지 광고)", "https://cs.kakao.com", "2026-12"),
    Fact("일예산", "자동 중단", "광고그룹의 과금이 일예산을 넘으면 광고가 저절로 멈춰요", "카카오 비즈니스 고객센터 (예산 설정)",
         "https://cs.kakao.com", "2026-12"),
    Fact("카카오싱크", "간편가입", "카카오 로그인을 넓힌 간편가입: 동의 화면 하나에서 회원 정보 제공, 서비스 약관, 채널 추가를 "
         "함께 받아요. 비즈니스 채널이 있어야 하고, 가입은 서비스가 자기 회원 DB에 회원을 만들어야 끝나요",
         "카카오 개발자 문서 (카카오싱크)", "https://developers.kakao.com/docs/latest/kakaosync", "2026-12"),
    Fact("고객파일과 개인정보", "처리 위탁", "회원 정보를 고객파일로 올려 메시지를 보내는 일은 개인정보 처리를 맡기는 일이라, "
         "맡기는 일과 받는 곳을 개인정보 처리방침에 밝혀요", "개인정보 보호법 제26조",
         "https://www.law.go.kr/법령/개인정보보호법/제26조", "2026-12"),
    Fact("수신 동의 재확인", 2, "광고 수신 동의는 2년마다 다시 확인해요", "정보통신망법 제50조 제8항 · 시행령 제62조의3",
         "https://www.law.go.kr/법령/정보통신망이용촉진및정보보호등에관한법률/제50조", "2026-12"),
    Fact("브랜드 메시지 출시", "2025-05-15", "브랜드 메시지가 2025년 5월 15일 친구톡을 잇는 상품으로 나왔어요",
         "매일경제 보도 (기사 11317830) · NHN Cloud 브랜드 메시지 개요", "https://mkbn.mk.co.kr", "2026-12"),
    Fact("친구톡 종료", "2025-12-31", "친구톡은 2025년 12월 31일에 끝났어요 (옛 호출을 바꿔 보내는 호환 발송은 2026년 말까지)",
         "NHN Cloud 친구톡 호환 API 안내",
         "https://docs.nhncloud.com", "2026-12"),
    Fact("알림톡", "정보성만", "알림톡은 주문·배송 안내 같은 정보성 메시지만 보내고, 템플릿을 미리 검수받아요",
         "카카오비즈니스 가이드 (알림톡)", "https://kakaobusiness.gitbook.io/main", "2026-12"),
    Fact("알림톡 단가", 10, "알림톡은 건당 약 10원 (부가세 별도)", "대행사 가격표 (2026-01)", "https://docs.nhncloud.com", "2026-12",
         unverified=True),
    Fact("브랜드 메시지 단가", (25, 35), "브랜드 메시지는 친구에게 약 25원, 친구가 아닌 사람에게 약 35원 (부가세 별도)",
         "대행사 가격표 (2026-01)", "https://docs.nhncloud.com", "2026-12", unverified=True),
    Fact("브랜드 메시지 비친구 발송", "080 수신 거부", "브랜드 메시지를 친구가 아닌 사람에게 보내려면 채널에 080 수신 거부 번호가 있어야 하고, "
         "기본형(템플릿)만 보낼 수 있어요", "NHN Cloud 브랜드 메시지 안내", "https://docs.nhncloud.com", "2026-12",
         disagree="대행사 한 곳은 자격으로 비즈니스 채널, 친구 5만 명 이상, 최근 3개월 알림톡 발송, 마케팅 동의 증빙을 들어요 (확인 전)."),
    Fact("채널 메시지 단가", (15, 20), "관리자센터의 채널 메시지는 2025년 2월 6일부터 건당 15~20원 (카카오모먼트 캐시)",
         "카카오비즈니스 가이드", "https://kakaobusiness.gitbook.io/main", "2026-12"),
    Fact("고객파일 식별자", "전화번호·앱 사용자 ID", "고객파일·친구그룹 업로드는 사람을 전화번호나 앱 사용자 ID로 가려요. 이 과정의 "
         "friend_id는 그 둘을 대신하는 가짜 ID예요", "카카오 개발자 문서 (카카오톡 채널 고객파일)", "https://developers.kakao.com/docs",
         "2026-12"),
    Fact("친구그룹 준비 기간", (2, 3), "고객파일로 만든 친구그룹은 발송 2~3일 전에 올려요 (친구가 아닌 사람에게는 가지 않아요)",
         "카카오 비즈니스 고객센터 (친구그룹)", "https://cs.kakao.com", "2026-12"),
    Fact("채팅방 메뉴 버튼 수", 10, "스마트채팅의 채팅방 메뉴는 버튼 10개까지", "카카오 비즈니스 고객센터 (스마트채팅)",
         "https://cs.kakao.com", "2026-12"),
    Fact("검색용 아이디", (15, "한글·영문 소문자·숫자·-·_"), "검색용 아이디는 15자 이내로, 한글·영문 소문자·숫자와 - _ 만 "
         "공백 없이 써요. 다른 채널과 겹칠 수 없고, 한 번 정하면 바꿀 수 없어요", "카카오 비즈니스 고객센터 (채널 개설하기·상세설정)",
         "https://cs.kakao.com", "2026-12"),
    Fact("채널 공개", "친구 추가", "채널을 공개하지 않으면(비공개) 아무도 친구로 추가할 수 없어요",
         "카카오 개발자 문서 (카카오톡 채널 프로필: is_open)", "https://developers.kakao.com/docs", "2026-12"),
    Fact("검색 허용", "관리 > 상세설정 > 공개설정", "검색 허용을 끄면 카카오톡 검색에 채널이 나오지 않아요 "
         "(관리 > 상세설정 > 공개설정)", "카카오 비즈니스 고객센터 (상세설정)", "https://cs.kakao.com", "2026-12"),
    Fact("채널 홈 카드", "카드마다 공개 여부", "채널 홈은 공지 사항, 쿠폰, 최근 소식 같은 카드를 보여 주는 채널의 첫 화면이고, "
         "카드마다 공개할지 정해요", "카카오 비즈니스 가이드 (소상공인 채널 가이드)", "https://kakaobusiness.gitbook.io/main",
         "2026-12"),
    Fact("고객센터 정보", "2023-06-22", "2023년 6월 22일부터 KISA 안내에 따라, 메시지를 보내는 채널을 새로 등록하려면 채널 홈의 "
         "기본 정보에 고객센터 정보(연락처)를 적어야 해요", "NAVER Cloud 비즈 메시지 안내 (KakaoTalk Channel)",
         "https://guide.ncloud-docs.com", "2026-12"),
    Fact("환영 메시지 기본 문구", "수정 불가", "친구 추가 때 가는 기본 안내 문구(메시지를 받게 된다는 안내)는 KISA 안내에 따라 "
         "모든 채널이 같고, 관리자가 고칠 수 없어요", "카카오 비즈니스 고객센터 (메시지)", "https://cs.kakao.com", "2026-12"),
    Fact("비즈니스 채널 이름", "사업자등록증의 상호", "비즈니스 채널 심사에서는 채널 이름이 사업자등록증의 상호와 같아야 하고, "
         "사업과 관계없는 이름은 반려될 수 있어요. 업종에 따라 인허가 서류도 내요",
         "NHN Cloud 카카오톡 비즈메시지 안내 (채널 개설과 비즈니스 인증) · 카카오 비즈니스 고객센터 (업종별 인허가 서류)",
         "https://docs.nhncloud.com", "2026-12"),
    Fact("비즈니스 채널로 쓰는 것", "알림톡·브랜드 메시지·카카오싱크", "알림톡, 브랜드 메시지, 카카오싱크, 사업자 월렛은 "
         "비즈니스 채널이어야 써요", "카카오 비즈니스 고객센터 (카카오싱크·월렛) · NHN Cloud 안내", "https://cs.kakao.com",
         "2026-12"),
    Fact("마스터와 매니저", "마스터만: 관리자 초대·월렛·삭제", "마스터(채널을 만든 관리자)와 매니저의 운영 권한은 같아요. 매니저를 "
         "초대하거나 내보내기, 월렛 연결, 채널 삭제 요청은 마스터만 해요", "카카오 비즈니스 가이드 (소상공인 채널 가이드)",
         "https://kakaobusiness.gitbook.io/main", "2026-12"),
    Fact("관리자 추가인증", "SMS·카카오톡 인증", "개인정보를 다루는 메뉴(1:1 채팅 등)는 로그인한 뒤에도 SMS나 카카오톡으로 "
         "추가 인증을 해야 열려요 (정보통신망법 제28조)", "카카오 비즈니스 고객센터 (채팅)", "https://cs.kakao.com", "2026-12"),
    Fact("캐시 최소 충전", 10000, "메시지 비용으로 쓰는 캐시는 10,000원 이상 충전해요", "카카오 비즈니스 고객센터 (캐시/월렛)",
         "https://cs.kakao.com", "2026-12"),
    Fact("채널 삭제", 7, "채널 삭제는 마스터만 요청하고, 7일 동안 삭제 대기였다가 완전히 지워져요 (그 뒤에는 되살릴 수 없어요). "
         "발송 중이거나 발송을 기다리는 메시지가 있으면 삭제할 수 없어요", "카카오 비즈니스 고객센터 (삭제하기)",
         "https://cs.kakao.com", "2026-12"),
    Fact("1:1 채팅 시작", "친구가 먼저", "1:1 채팅은 친구(사용자)가 먼저 말을 걸어야 시작돼요. 관리자가 먼저 1:1 채팅을 보낼 수는 "
         "없어요. 친구가 아닌 사람도 채널을 찾아 채팅할 수 있어요", "카카오 비즈니스 고객센터 (채팅) 도움말을 옮긴 글",
         "https://cs.kakao.com", "2026-12"),
    Fact("1:1 채팅 운영시간", "운영시간 외 자동응답", "1:1 채팅의 운영시간을 요일마다 정하고, 운영시간이 아닐 때 보낼 자동응답을 "
         "적어 둬요 (1:1 채팅 > 채팅 운영 설정). 공휴일은 따로 정하는 기능이 없다는 안내가 있어요", "채널 운영 대행사의 설정 안내 (블로그)",
         "https://channelup.kr", "2026-12", unverified=True),
    Fact("챗봇 말풍선 수", (1, 3), "챗봇 응답의 말풍선(outputs)은 1~3개", "카카오 i 오픈빌더 응답 형식",
         OPEN_BUILDER, "2026-12"),
    Fact("챗봇 바로가기 수", 10, "바로가기(quickReplies)는 10개 이하", "카카오 i 오픈빌더 응답 형식",
         OPEN_BUILDER, "2026-12"),
    Fact("챗봇 simpleText 접힘", 500, "simpleText가 500자를 넘으면 접혀 보여요", "카카오 i 오픈빌더 응답 형식",
         OPEN_BUILDER, "2026-12"),
    Fact("챗봇 basicCard 제목", 50, "basicCard의 제목은 50자 이하", "카카오 i 오픈빌더 응답 형식",
         OPEN_BUILDER, "2026-12"),
    Fact("챗봇 basicCard 설명", 230, "basicCard의 설명은 230자 이하", "카카오 i 오픈빌더 응답 형식",
         OPEN_BUILDER, "2026-12"),
    Fact("챗봇 응답 시간", 5, "스킬 서버는 5초 안에 답해요", "카카오 i 오픈빌더 스킬 가이드",
         "https://kakaobusiness.gitbook.io/main/tool/chatbot/skill_guide", "2026-12"),
    Fact("챗봇 simpleText 글자 수", 1000, "챗봇의 simpleText는 1,000자 이하 (500자가 넘으면 접혀요)",
         "카카오 i 오픈빌더 응답 형식", OPEN_BUILDER,
         "2026-12"),
    Fact("챗봇 버튼 (가로)", (2, 8), "버튼을 가로로 놓으면 2개까지, 이름 8자 이하", "카카오 i 오픈빌더 응답 형식",
         OPEN_BUILDER, "2026-12"),
    Fact("챗봇 버튼 (세로)", (3, 14), "버튼을 세로로 놓으면 3개까지, 이름 14자 이하", "카카오 i 오픈빌더 응답 형식",
         OPEN_BUILDER, "2026-12"),
)

FACT = {fact.key: fact for fact in FACTS}

# What a real channel can measure: for each lesson's figures, where a learner finds them for their own channel. The
# 관리자센터 gives daily totals and per-message counts, never per-friend logs; clicks reach the shop through UTM links.
ADMIN = "관리자센터 통계"
CRM = "친구 단위 기록이 필요해요 (카카오싱크·앱 사용자 ID로 모은 CRM 데이터)"
MEASURE: dict[str, tuple[tuple[str, str], ...]] = {
    "b00": (("친구 수", f"{ADMIN}: 하루 단위 친구 수"),),
    "b01": (("친구 수·추가·차단의 추이", f"{ADMIN}: 일별 친구 수와 그 변화"),
            ("출처별로 들어온 친구", CRM)),
    "b02": (("30일 유지율", CRM), ("이벤트로 들어온 친구의 차단", CRM)),
    "b03": (("메시지별 클릭률", f"{ADMIN}: 메시지별 노출·클릭 수 (합계끼리 나눠요)"),
            ("야간 광고 수신 동의별 수신자", CRM)),
    "b04": (("전체 발송 클릭률의 기준선과 달마다의 폭", f"{ADMIN}: 메시지별 노출·클릭을 달마다 합쳐요"),
            ("친구가 최근 받은 메시지 수(피로도)", CRM)),
    "i01": (("세그먼트별 클릭률", f"{ADMIN}: 세그먼트마다 따로 보낸 타깃 발송의 메시지 통계"),),
    "i02": (("안별 클릭률과 구간", f"{ADMIN}: 두 친구그룹에 따로 보낸 메시지의 노출·클릭"),
            ("안별 구매", "UTM 링크를 단 버튼 + 쇼핑몰 분석(주문)")),
    "i03": (("안마다 필요한 인원(검정력)", "친구그룹 인원과 지난 메시지의 클릭률(관리자센터)"),
            ("친구 단위 분석과 설계 효과", CRM)),
    "i04": (("7일 구매 전환율", "UTM 링크 + 쇼핑몰의 주문 기록"),),
    "a01": (("챗봇 처리율", "오픈빌더의 통계나 스킬 서버의 기록"), ("상담 전환율", "상담 기록과 주문 기록을 함께 (CRM)")),
    "a02": (("친구별 차단 예측 모델", CRM),),
    "a03": (("시간별 차단", "관리자센터는 하루 단위라, 시간별은 친구 추가·차단 웹훅(added/blocked 이벤트)으로 모아요"),
            ("항의 채팅 수", "1:1 채팅(상담) 기록")),
    "a04": (("첫 공지까지 걸린 시간", "경보 시각과 소식·공지 게시 시각 (운영 기록)"),),
}


def value(key: str):
    return FACT[key].value


def clock_minutes(text: str) -> int:
    """ "20:50" -> 1250, minutes after midnight."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


AD_NIGHT = tuple(clock_minutes(t) for t in value("야간 광고 (플랫폼)"))  # (start, end) in minutes of the day


def in_ad_night(minutes):
    """Minutes of the day (an int, or an array or Series of them) inside the platform's night for ads (20:50-08:00)."""
    start, end = AD_NIGHT
    return (minutes >= start) | (minutes < end)


def values() -> set:
    """Every number and time the table holds (a pair counts as both of its parts)."""
    found = set()
    for fact in FACTS:
        for part in fact.value if isinstance(fact.value, tuple) else (fact.value,):
            found.add(part)
    return found


def page_section() -> str:
    """The glossary page's section of platform facts with their sources (Markdown)."""
    lines = ["## 플랫폼 사실과 출처", "",
             "수업이 말하는 카카오톡 채널의 제한과 규칙, 그 출처와 확인한 때예요. 플랫폼은 바뀌니 실제로 보내기 전에는 "
             "출처의 최신 안내를 다시 보세요. 출처끼리 다르면 '다른 안내'에 적었어요.", "",
             "| 항목 | 내용 | 출처 (확인) | 다른 안내 |", "|---|---|---|---|"]
    for fact in FACTS:
        mark = " (대행사 안내, 확인 전)" if fact.unverified else ""
        lines.append(f"| {fact.key} | {fact.statement}{mark} | [{fact.source}]({fact.url}) ({fact.checked}) | "
                     f"{fact.disagree} |")
    lines += ["", "## 내 채널에서 다시 재려면", "",
              "수업의 숫자를 내 채널에서 재는 곳이에요. 관리자센터는 하루 합계와 메시지별 숫자를 주고, 친구 한 명 한 명의 "
              "기록은 주지 않아요. 이 과정의 데이터는 친구 단위라 실제 채널보다 자세해요.", "",
              "| 수업 | 숫자 | 내 채널에서 |", "|---|---|---|"]
    for lesson, rows in MEASURE.items():
        lines += [f"| {lesson} | {figure} | {where} |" for figure, where in rows]
    lines.append("")
    return "\n".join(lines)
