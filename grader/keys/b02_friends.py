"""Keys for beginner/02_real_friends (진짜 친구 모으기): friend quality by source, cost, the set-up checklist."""

from __future__ import annotations

import pandas as pd

from course import load
from course.platform import value

from . import question

LOG_START = pd.Timestamp("2026-05-01")  # the log's first moment (KST)
COHORT_END = pd.Timestamp("2026-10-02")  # added before this: 30 days (720 h) fit before 2026-11-01 00:00
LOG_END = pd.Timestamp("2026-11-01")
DAYS_30 = pd.Timedelta(days=30)

# The course's assumption (stated in the lesson): cost of one new friend by route, in won.
COST_PER_NEW_FRIEND = {"광고": 1200, "이벤트": 800, "오프라인 QR": 300, "지인 추천": 500}

# The opening check's limits, from the platform's published rules (course.platform).
SEARCH_ID_MAX = value("검색용 아이디")[0]
BUTTONS_MAX = value("채팅방 메뉴 버튼 수")


# ---------------------------------------------------------------- friend quality by source


def _friends() -> pd.DataFrame:
    friends = load("friends")
    friends = friends.assign(source=friends["source"].astype(str))
    blocked_30d = friends["blocked_at"].notna() & (friends["blocked_at"] < friends["added_at"] + DAYS_30)
    return friends.assign(kept_30d=~blocked_30d)


def _cohort(start=LOG_START, end=COHORT_END) -> pd.DataFrame:
    friends = _friends()
    if start is None:
        return friends[friends["added_at"] < end]
    return friends[(friends["added_at"] >= start) & (friends["added_at"] < end)]


def _retention(cohort: pd.DataFrame, column: str = "kept_30d") -> pd.Series:
    return cohort.groupby("source")[column].mean().astype(float)


def _reached_by_source() -> pd.DataFrame:
    deliveries = load("deliveries")
    return deliveries.merge(_friends()[["friend_id", "source"]], on="friend_id")


@question(
    "b02.retention_30d_by_source", variable="retention_30d_by_source", kind="table", decimals=3,
    hint="2절의 7일 유지율 예제를 30일로 바꿔요: 기간으로 고른 friends에서 blocked_at < added_at + "
         "pd.Timedelta(hours=720)이면 30일 안에 차단한 친구예요(NaT는 False). 그 참/거짓의 반대(~)를 "
         "groupby(\"source\")로 묶어 .mean()을 내면 경로별 비율이에요.",
    mistakes=(
        (lambda: _retention(_cohort(end=LOG_END)),
         "10월 2일 이후에 추가한 친구까지 넣었어요. 아직 30일이 지나지 않은 친구는 유지율 계산에서 빼야 해요."),
        (lambda: _retention(_cohort(start=None)),
         "5월 1일 전에 추가한 친구까지 넣었어요. 기록 기간 안에 추가한 친구만 봐요."),
        (lambda: _cohort().assign(never=lambda d: d["blocked_at"].isna()).groupby("source")["never"].mean().astype(float),
         "지금까지 한 번도 차단하지 않은 비율을 구했어요. 추가한 뒤 30일 안에 차단했는지만 봐요."),
        (lambda: 100 * _retention(_cohort()),
         "유지율은 0과 1 사이 소수로 적어 주세요 (100을 곱하지 않아요)."),
    ),
    skills=("30일 유지율",),
)
def retention_30d_by_source() -> pd.Series:
    return _retention(_cohort())


@question(
    "b02.click_rate_by_source", variable="click_rate_by_source", kind="table", decimals=4,
    hint="3절의 연령대별 예제에서 age_band를 source로 바꾸면 돼요: deliveries의 도달한 줄에 "
         "friends[[\"friend_id\", \"source\"]]를 friend_id로 merge하고, groupby(\"source\")로 clicked 합계 ÷ 줄 수.",
    mistakes=(
        (lambda: _reached_by_source().groupby("source")["clicked"].mean().astype(float),
         "분모에 도달하지 못한 메시지까지 넣었어요. 클릭률의 분모는 도달한 메시지 수예요."),
        (lambda: _reached_by_source().query("delivered").groupby(["source", "campaign_id"])["clicked"].mean()
         .groupby("source").mean().astype(float),
         "메시지별 클릭률을 단순 평균했어요. 경로별로 클릭 수 합계를 도달 수 합계로 나눠요."),
        (lambda: 100 * click_rate_by_source(),
         "클릭률은 0과 1 사이 소수로 적어 주세요 (100을 곱하지 않아요)."),
    ),
    skills=("클릭률",),
)
def click_rate_by_source() -> pd.Series:
    reached = _reached_by_source()
    reached = reached[reached["delivered"]]
    totals = reached.groupby("source")[["clicked", "delivered"]].sum()
    return (totals["clicked"] / totals["delivered"]).astype(float)


@question(
    "b02.best_source", variable="best_source", kind="text",
    hint="문제 1의 retention_30d_by_source에 .idxmax()를 붙이면 값이 가장 큰 항목의 이름(경로)이 나와요. "
         "str(...)로 감싸 문자열로 넣어요.",
    mistakes=(
        (lambda: str(_cohort()["source"].value_counts().idxmax()),
         "친구가 가장 많이 들어온 경로를 골랐어요. 숫자가 아니라 30일 유지율을 비교해요."),
    ),
    skills=("30일 유지율",),
)
def best_source() -> str:
    return str(_retention(_cohort()).idxmax())


def _cost_per_kept(retention: pd.Series) -> pd.Series:
    cost = pd.Series(COST_PER_NEW_FRIEND, dtype=float)
    return (cost / retention.reindex(cost.index)).astype(float)


@question(
    "b02.cost_per_kept_friend", variable="cost_per_kept_friend", kind="table", decimals=0,
    hint="cost_per_new_friend / retention_30d_by_source처럼 Series끼리 나누면 같은 경로끼리 계산돼요. "
         "결과를 출력해 채널 검색(NaN)이 빠졌는지, 네 경로만 남았는지 확인해 보세요.",
    mistakes=(
        (lambda: pd.Series(COST_PER_NEW_FRIEND, dtype=float),
         "유지율로 나누지 않았어요. 30일 뒤 남은 친구 1명을 얻는 데 드는 비용을 구해요."),
        (lambda: pd.Series(COST_PER_NEW_FRIEND, dtype=float) * _retention(_cohort()).reindex(list(COST_PER_NEW_FRIEND)),
         "유지율을 곱했어요. 남는 친구가 적을수록 1명당 비용은 커지니 유지율로 나눠요."),
        (lambda: _cost_per_kept(_retention(_cohort(start=None))),
         "5월 1일 전에 추가한 친구까지 넣은 유지율을 썼어요. 문제 1과 같은 친구들로 계산해요."),
    ),
    skills=("30일 유지율",),
)
def cost_per_kept_friend() -> pd.Series:
    return _cost_per_kept(_retention(_cohort()))


# ---------------------------------------------------------------- the opening check (the platform's published rules)


def _filled(text) -> bool:
    return bool(str(text).strip())


def _id_char_ok(char: str) -> bool:
    """A 검색용 아이디 takes 한글 (가~힣), a-z, 0-9, '-' and '_' only."""
    return "가" <= char <= "힣" or "a" <= char <= "z" or "0" <= char <= "9" or char in "-_"


def check_profile(profile: dict) -> set[str]:
    """Every published rule of the 관리자센터 that ``profile`` breaks (an empty set: ready to open)."""
    problems = set()
    if not _filled(profile["name"]):
        problems.add("이름 없음")
    search_id = profile["search_id"]
    if not 1 <= len(search_id) <= SEARCH_ID_MAX:
        problems.add("아이디 길이")
    if not all(_id_char_ok(char) for char in search_id):
        problems.add("아이디 글자")
    if not profile["public"]:
        problems.add("비공개")
    if not profile["searchable"]:
        problems.add("검색 허용 안 함")
    if not _filled(profile["support_phone"]):
        problems.add("고객센터 정보 없음")
    if len(profile["menu_buttons"]) > BUTTONS_MAX:
        problems.add("버튼 수")
    return problems


def _strict_limits(profile: dict) -> set[str]:
    """Mistake: a limit itself counted as a violation (< instead of <=)."""
    problems = check_profile(profile) - {"아이디 길이", "버튼 수"}
    if not 1 <= len(profile["search_id"]) < SEARCH_ID_MAX:
        problems.add("아이디 길이")
    if len(profile["menu_buttons"]) >= BUTTONS_MAX:
        problems.add("버튼 수")
    return problems


def _spaces_count_as_text(profile: dict) -> set[str]:
    """Mistake: text made only of spaces counted as filled in."""
    problems = check_profile(profile) - {"이름 없음", "고객센터 정보 없음"}
    if profile["name"] == "":
        problems.add("이름 없음")
    if profile["support_phone"] == "":
        problems.add("고객센터 정보 없음")
    return problems


def _isalnum_id(profile: dict) -> set[str]:
    """Mistake: the id's characters checked with str.isalnum(), which lets capitals (and any script) through."""
    problems = check_profile(profile) - {"아이디 글자"}
    if not all(char.isalnum() or char in "-_" for char in profile["search_id"]):
        problems.add("아이디 글자")
    return problems


def _stripped_id(profile: dict) -> set[str]:
    """Mistake: the id stripped before it is checked, so spaces at its ends pass."""
    return check_profile({**profile, "search_id": profile["search_id"].strip()})


def _profile(**changes) -> dict:
    base = {
        "name": "오늘의 소품상점",
        "search_id": "오늘의소품상점",
        "public": True,
        "searchable": True,
        "support_phone": "02-6300-1234",
        "menu_buttons": ["신상품", "주문 조회", "1:1 문의"],
    }
    base.update(changes)
    return base


TEN_BUTTONS = ["신상품", "베스트", "세일", "쿠폰", "주문 조회", "배송 안내", "교환·반품", "매장 안내", "이벤트", "1:1 문의"]

PROFILE_EXAMPLES = (
    ("모두 지킨 프로필", _profile()),
    ("검색을 막고 연락처가 공백뿐, 아이디 끝에 공백",
     _profile(search_id="sopum_store ", searchable=False, support_phone="   ")),
    ("아이디 15자, 버튼 10개", _profile(search_id="seongsu-sopum01", menu_buttons=TEN_BUTTONS)),
    ("아이디에 대문자, 채널 비공개", _profile(search_id="SopumStore", public=False)),
)

PROFILE_HIDDEN = (
    ("아이디 16자", _profile(search_id="seongsu-sopum012")),
    ("아이디가 비어 있음", _profile(search_id="")),
    ("아이디 앞뒤에 공백", _profile(search_id=" sopum_store ")),
    ("아이디에 점", _profile(search_id="sopum.store")),
    ("한글·영문·숫자·밑줄을 섞은 아이디", _profile(search_id="소품_store2")),
    ("아이디가 대문자뿐", _profile(search_id="SOPUM")),
    ("이름이 공백뿐", _profile(name="  ")),
    ("고객센터 연락처 없음", _profile(support_phone="")),
    ("버튼 11개", _profile(menu_buttons=TEN_BUTTONS + ["리뷰"])),
    ("버튼 없이 1:1 채팅만", _profile(menu_buttons=[])),
    ("비공개인데 검색 허용은 켬", _profile(public=False)),
    ("모두 어김", _profile(name="", search_id="Sopum Store 2026!!", public=False, searchable=False,
                       support_phone="", menu_buttons=TEN_BUTTONS * 2)),
)


question(
    "b02.check_profile", variable="check_profile", kind="function",
    hint="5절의 check_name처럼 problems = set()으로 시작해 규칙마다 if 문 하나로 확인하고, 어기면 "
         "problems.add(\"버튼 수\")처럼 코드를 넣어 return problems로 돌려줘요. 아이디 글자는 "
         "all(id_char_ok(char) for char in profile[\"search_id\"])로 한 번에 볼 수 있어요. "
         "check_profile(example_profiles[3][1])로 5절의 예시를 직접 넣어 보세요.",
    mistakes=(
        (_strict_limits,
         "한도와 딱 같은 경우(아이디 15자, 버튼 10개)를 어긴 것으로 봤어요. 한도까지는 괜찮아요 (<=)."),
        (_spaces_count_as_text,
         "공백만 있는 이름이나 연락처를 채운 것으로 봤어요. 앞뒤 공백을 뺀(strip) 뒤에 확인해요."),
        (_isalnum_id,
         "영문 대문자를 허용된 글자로 봤어요. 검색용 아이디는 영문 소문자(a~z)만 받아요 "
         "(isalnum()이나 isalpha()는 대문자도 통과시켜요)."),
        (_stripped_id,
         "아이디의 앞뒤 공백을 지운 뒤 확인했어요. 검색용 아이디는 쓴 그대로 보고, 공백은 어디에 있든 어긴 글자예요."),
    ),
    examples=PROFILE_EXAMPLES,
    hidden=PROFILE_HIDDEN,
    skills=("검색용 아이디",),
)(check_profile)
