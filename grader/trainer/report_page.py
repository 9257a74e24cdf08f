"""The class report as one HTML page: CSS inline, plots embedded as PNG (Korean labels), every learner's text escaped.

Order: the summary (learners, submissions, median score per tier, written answers still to grade), then the tables
(scores, most-missed questions, skill mastery, item statistics, integrity flags, ungraded answers), then the plots
(score distribution per tier, skill mastery).
"""

from __future__ import annotations

import base64
import io
import math
from html import escape

import pandas as pd

from .export import FINAL, PENDING, tier_label
from .items import MIN_LEARNERS, REVIEW

CSS = """
body { font-family: "Malgun Gothic", "Apple SD Gothic Neo", "NanumGothic", sans-serif; margin: 2em auto;
       max-width: 1100px; color: #222; line-height: 1.5; padding: 0 1em; }
h1 { font-size: 1.6em; border-bottom: 3px solid #fee500; padding-bottom: .3em; }
h2 { font-size: 1.25em; margin-top: 2em; border-left: 6px solid #fee500; padding-left: .5em; }
table { border-collapse: collapse; margin: .6em 0 1.2em; font-size: .92em; }
th, td { border: 1px solid #ccc; padding: .3em .6em; text-align: left; vertical-align: top; }
th { background: #f6f6f6; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.note { color: #555; font-size: .9em; }
.review { background: #ffe3e3; font-weight: bold; }
.pending { background: #fff6cc; }
.missing { color: #888; }
img { max-width: 100%; }
"""


def _cell(value, css: str = "") -> str:
    if isinstance(value, float):
        text = "" if math.isnan(value) else f"{value:.2f}"
        css = css or "num"
    elif isinstance(value, (int,)) and not isinstance(value, bool):
        text, css = str(value), css or "num"
    else:
        text = str(value)
    attribute = f' class="{css}"' if css else ""
    return f"<td{attribute}>{escape(text)}</td>"


def html_table(table: pd.DataFrame, marks=None, empty: str = "없어요.") -> str:
    """A table, every value escaped; ``marks(row) -> css class`` highlights a row."""
    if table.empty:
        return f'<p class="note">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(str(column))}</th>" for column in table.columns)
    body = []
    for row in table.to_dict("records"):
        css = marks(row) if marks else ""
        body.append(f'<tr{f" class={chr(34)}{css}{chr(34)}" if css else ""}>'
                    + "".join(_cell(row[column]) for column in table.columns) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _png(figure) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", bbox_inches="tight")
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _pyplot():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    from course.plots import use_korean_style

    use_korean_style()
    return plt


def score_plot(results, tier: str) -> str | None:
    """Histogram of the final percent of one tier's learners (채점 대기 and 미제출 left out)."""
    standing = results.standing
    final = standing[(standing["tier"] == tier) & (standing["status"] == FINAL)]
    if final.empty:
        return None
    plt = _pyplot()
    figure, axes = plt.subplots(figsize=(7, 3.6))
    from matplotlib.ticker import MaxNLocator

    percent = 100 * final["points"] / final["max_points"]
    axes.hist(percent, bins=range(0, 101, 10), color="#3c1e1e", edgecolor="white")
    axes.set_title(f"{tier_label(tier)} 점수 분포 (점수 확정 {len(final)}명)")
    axes.set_xlabel("점수 (%)")
    axes.set_ylabel("학습자 수 (명)")
    axes.set_xlim(0, 100)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _png(figure)


def mastery_plot(mastery: pd.DataFrame) -> str | None:
    if mastery.empty:
        return None
    plt = _pyplot()
    labels = [f"{skill} ({tier_label(tier)})" for tier, skill in zip(mastery["tier"], mastery["skill"])]
    figure, axes = plt.subplots(figsize=(7, 0.45 * len(labels) + 1.2))
    axes.barh(labels[::-1], (100 * mastery["mastery"]).tolist()[::-1], color="#f9c900")
    axes.set_title("기술별 숙달도")
    axes.set_xlabel("얻은 점수의 비율 (%)")
    axes.set_xlim(0, 100)
    return _png(figure)


def _percent(value: float) -> str:
    return "" if value is None or (isinstance(value, float) and math.isnan(value)) else f"{100 * value:.0f}%"


def _items_shown(items: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"과정": items["tier"].map(tier_label), "수업": items["notebook"], "문항": items["title"],
                         "문제 ID": items["qid"].where(items["qid"] != "", "(서술형)"), "n": items["n"],
                         "난이도 (평균 득점률)": items["difficulty"].map(_percent),
                         "변별도 (점이연 상관)": items["discrimination"],
                         "비고": items["note"]})


def _missed_shown(missed: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"과정": missed["tier"].map(tier_label), "수업": missed["notebook"], "문항": missed["title"],
                         "평균 득점률": missed["difficulty"].map(_percent),
                         "틀림·빈 답": [f"{m}/{n}명" for m, n in zip(missed["missed"], missed["learners"])],
                         "빈 답": missed["blank"],
                         "가장 많은 실수": [f"{text} ({count}명)" if text else "-"
                                       for text, count in zip(missed["mistake"], missed["mistake_count"])]})


def _mastery_shown(mastery: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"과정": mastery["tier"].map(tier_label), "기술 (용어집)": mastery["skill"],
                         "문항 수": mastery["questions"], "학습자": mastery["learners"],
                         "숙달도": mastery["mastery"].map(_percent)})


def _status_mark(row) -> str:
    return {PENDING: "pending", FINAL: ""}.get(row.get("상태"), "missing")


def page(results, tables: dict[str, pd.DataFrame]) -> str:
    cohort = results.cohort
    summary = tables["summary"]
    items = tables["items"]
    learners = len(results.learners)
    parts = [f"<h1>반 보고서: {escape(cohort.name)}</h1>",
             f'<p class="note">시드 {cohort.seed} · 과정 {escape(", ".join(tier_label(t) for t in results.tiers))} · '
             f"학습자 {learners}명. 미제출은 통계에 넣지 않고(0점이 아니에요), 채점 대기인 서술형은 점수가 필요한 "
             f"통계에서 빠져요.</p>",
             "<h2>요약</h2>", html_table(summary)]
    waiting = int(summary["채점 대기 답안"].sum())
    if waiting:
        parts.append(f'<p class="pending">서술형 {waiting}개가 아직 채점 대기예요. 아래 「채점 대기 답안」을 보고 '
                     f"formgrader에서 채점한 뒤 보고서를 다시 만드세요.</p>")
    parts += ["<h2>학습자별 점수</h2>", html_table(tables["scores"], _status_mark),
              "<h2>많이 틀린 문항과 가장 많은 실수</h2>",
              html_table(_missed_shown(tables["missed"]), empty="모두 맞힌 문항뿐이에요."),
              "<h2>기술별 숙달도</h2>",
              '<p class="note">문항마다 용어집의 기술(KPI)을 붙였어요. 숙달도 = 그 기술 문항에서 얻은 점수 ÷ 배점.</p>',
              html_table(_mastery_shown(tables["mastery"]))]
    few = items["n"].max() < MIN_LEARNERS if not items.empty else True
    parts += ["<h2>문항 통계 (난이도·변별도)</h2>",
              '<p class="note">난이도 = 평균 득점률(높을수록 쉬워요). 변별도 = 문항 득점률과 나머지 점수(그 문항을 뺀 '
              "과정 점수)의 점이연 상관계수(n = 점수가 있는 학습자 수). 음수면 잘하는 학습자가 오히려 더 틀린 문항이라 "
              f"<b>{REVIEW}</b>로 표시해요.</p>"]
    if few:
        parts.append(f'<p class="review">점수가 있는 학습자가 {MIN_LEARNERS}명보다 적어 변별도는 의미가 없어요 '
                     "(계산하지 않았어요).</p>")
    parts += [html_table(_items_shown(items), lambda row: "review" if row.get("비고") == REVIEW else ""),
              "<h2>무결성 표시와 채점 문제</h2>",
              '<p class="note">처리 「0점」은 그 문항 점수를 주지 않은 것, 「검토」는 점수는 두고 확인이 필요한 것이에요.</p>',
              html_table(tables["integrity"], empty="무결성 표시가 없어요."),
              "<h2>채점 대기 답안 (서술형)</h2>",
              html_table(tables["ungraded"], empty="채점을 기다리는 서술형 답안이 없어요."),
              "<h2>그래프</h2>"]
    for tier in results.tiers:
        image = score_plot(results, tier)
        if image:
            parts.append(f'<img alt="{escape(tier_label(tier))} 점수 분포" src="{image}">')
        else:
            parts.append(f'<p class="note">{escape(tier_label(tier))}: 점수가 확정된 학습자가 없어 분포를 그리지 않았어요.</p>')
    image = mastery_plot(tables["mastery"])
    if image:
        parts.append(f'<img alt="기술별 숙달도" src="{image}">')
    body = "\n".join(parts)
    return (f'<!DOCTYPE html>\n<html lang="ko">\n<head>\n<meta charset="utf-8">\n'
            f"<title>반 보고서: {escape(cohort.name)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n"
            f"</body>\n</html>\n")
