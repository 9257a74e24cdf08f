"""Writing the cohort: UTF-8 CSV with BOM (Korean Excel opens it), and the data dictionary."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..tables import TABLES, Table
from . import params as P

ENCODING = "utf-8-sig"


def format_times(seconds: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
    """Seconds since the start of the log as 'YYYY-MM-DD HH:MM:SS' (KST); '' where missing."""
    seconds = np.asarray(seconds, dtype=np.int64)
    if missing is None:
        missing = np.zeros(len(seconds), dtype=bool)
    text = np.full(len(seconds), "", dtype=object)
    ok = ~missing
    if ok.any():
        stamps = P.START + seconds[ok].astype("timedelta64[s]")
        text[ok] = np.char.replace(np.datetime_as_string(stamps, unit="s"), "T", " ")
    return text


def format_days(days: np.ndarray) -> np.ndarray:
    stamps = P.START.astype("datetime64[D]") + np.asarray(days, dtype=np.int64).astype("timedelta64[D]")
    return np.datetime_as_string(stamps, unit="D")


class TableFile:
    """One CSV file written in chunks, columns in the order ``course.tables`` gives."""

    def __init__(self, out: Path, table: Table):
        self.table = table
        self.rows = 0
        self.handle = open(out / table.file_name, "w", encoding=ENCODING, newline="")
        self.handle.write(",".join(table.column_names) + "\n")

    def write(self, frame: pd.DataFrame) -> None:
        frame = frame[self.table.column_names]
        for column in self.table.columns:
            if column.kind == "bool":
                frame[column.name] = frame[column.name].astype(np.int8)
        frame.to_csv(self.handle, header=False, index=False, lineterminator="\n")
        self.rows += len(frame)

    def close(self) -> None:
        self.handle.close()


def write_table(out: Path, name: str, frame: pd.DataFrame) -> int:
    table_file = TableFile(out, TABLES[name])
    table_file.write(frame)
    table_file.close()
    return table_file.rows


KIND_LABELS = {
    "id": "문자 (ID)", "int": "정수", "float": "실수", "bool": "0/1 (아니오/예)",
    "datetime": "날짜·시각", "date": "날짜", "category": "범주", "text": "문자",
}


def _example(path: Path, column: str) -> str:
    sample = pd.read_csv(path, encoding=ENCODING, usecols=[column], nrows=5_000, dtype=str, keep_default_na=False)
    values = [v for v in sample[column] if v != ""]
    return values[0] if values else "(비어 있음)"


def write_dictionary(out: Path, seed: int, n_friends: int, row_counts: dict[str, int]) -> None:
    lines = [
        "# 데이터 사전 (카카오톡 채널 실무 아카데미)",
        "",
        "가상의 라이프스타일·디자인 소품 브랜드 채널의 6개월(2026-05-01 ~ 2026-10-31) 기록입니다. "
        "실제 사람·회사와 관계없는 합성 데이터입니다.",
        "",
        f"- 만든 방법: `python -m course.datagen --seed {seed} --friends {n_friends} --out <폴더>` "
        "(같은 시드는 바이트까지 같은 파일을 만듭니다)",
        "- 파일: UTF-8 (BOM 포함) CSV. 엑셀에서 바로 열리고, 수업에서는 `course.load(\"표 이름\")`으로 읽습니다.",
        "- 시각: 모두 한국 시간(KST)이며 시간대 표시 없이 `YYYY-MM-DD HH:MM:SS`로 적었습니다.",
        "- 0/1 열: 1 = 예, 0 = 아니오. `course.load`는 참/거짓(bool)으로 바꿔 줍니다.",
        "- 빈 칸: 값이 없다는 뜻입니다 (예: 차단하지 않은 친구의 `blocked_at`).",
        "- `deliveries.purchased_7d`: 메시지 링크를 클릭하고 7일(168시간) 안에 그 링크로 들어와 주문한 경우입니다. "
        "그 주문은 `orders.campaign_id`에 같은 메시지 ID로 남습니다. "
        "기록은 10월 31일에 끝나므로 마지막 주에 보낸 메시지는 7일을 다 채우지 못했습니다.",
        "- `chats.converted_7d`: 채팅 시작 후 7일 안에 같은 친구의 주문이 하나라도 있으면 1입니다 (어떤 경로의 주문이든).",
        "- `incidents`: 위기 대응 훈련용 시나리오 4개입니다. 6개월 채널 기록 뒤(2026년 11월부터)에 차례로 이어지는 가상의 "
        "14일씩이며(조용한 7일 → 8일째 사건 → 가라앉는 7일), `daily_stats`·`friends.blocked_at`에는 들어 있지 않습니다. "
        "`사건 시작` 줄은 사후 조사로 확인한 실제 시작 시각이라, 모니터링 중에는 볼 수 없던 정보입니다.",
        "",
    ]
    for table in TABLES.values():
        path = out / table.file_name
        lines += [f"## `{table.name}`: {table.title}", "", f"{table.grain}. 행 수: {row_counts[table.name]:,}", "",
                  "| 열 | 뜻 | 형식 | 단위 | 예시 |", "|---|---|---|---|---|"]
        for column in table.columns:
            kind = KIND_LABELS[column.kind] + (" (빈 칸 가능)" if column.nullable else "")
            example = _example(path, column.name).replace("|", "\\|")
            lines.append(f"| `{column.name}` | {column.meaning} | {kind} | {column.unit or '-'} | {example} |")
        lines.append("")
    (out / "README.md").write_text("\n".join(lines), encoding="utf-8", newline="\n")
