"""``make demo``: the trainer's whole loop on a simulated class, ending with the class report's path.

A cohort (made once, then reused), a simulated class of strong, average, weak, blank and broken learners handed in
as an LMS download zip, then roster, collect, autograde, feedback, report and export, each the same function the
command line runs.
"""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

from .cohort import COHORTS, create
from .errors import TrainerError

DEMO_NAME = "demo"


def _as_lms_zip(submitted: Path, tier: str, names: dict[str, str], target: Path) -> Path:
    """The simulated submissions as an LMS hands them over: one file per learner and lesson, named by the learner."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(submitted.glob(f"*/{tier}/*.ipynb")):
            learner = path.parts[-3]
            bundle.write(path, f"{names[learner]}_{learner}_{path.name}")
    return target


def run_demo(learners: int = 30, seed: int = 2026, tier: str = "beginner", parent: Path = COHORTS,
             jobs: int | None = None, say=print, source: Path | None = None, progress: bool = True) -> Path:
    """The loop on ``learners`` simulated learners of ``tier``; returns the class report's path. ``source``: the
    course whose lessons the cohort copies (the course itself unless a test gives a smaller one)."""
    import shutil
    import tempfile

    from ..engine.grading import autograde, feedback
    from .collect import collect
    from .export import export_grades
    from .report import class_report
    from .returns import zip_feedback
    from .roster import import_roster
    from .simulate import simulate

    started = time.perf_counter()
    say(f"[1/8] 반 만들기 ({DEMO_NAME}, 시드 {seed}; 처음 한 번은 몇 분)")
    extra = {"source": source} if source is not None else {}
    cohort = create(DEMO_NAME, seed, parent=parent, say=lambda line: say(f"  {line}"), **extra)
    if tier not in cohort.tiers():
        raise TrainerError(f"'{tier}' 과정이 없어요. 있는 과정: {', '.join(cohort.tiers())}")
    say(f"[2/8] 모의 학습자 {learners}명이 {tier}를 풀어요")
    scratch = Path(tempfile.mkdtemp(prefix="academy-demo-"))
    try:
        shutil.copytree(cohort.folder / tier, scratch / tier)
        shutil.copytree(cohort.grader / "release" / tier, scratch / "grader" / "release" / tier)
        made = simulate(scratch, tier, n=learners, seed=seed, data=cohort.data)
        names = {learner.id: learner.name for learner in made.learners}
        bundle = _as_lms_zip(made.submitted, tier, names, cohort.folder / f"LMS_다운로드_{tier}.zip")
        say("[3/8] 명단 가져오기")
        import_roster(cohort, made.roster, say=lambda line: say(f"  {line}"))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    say(f"[4/8] 제출물 모으기 ({bundle.name})")
    collect(cohort, tier, bundle, say=lambda text: say("  " + text.replace("\n", "\n  ")))
    say("[5/8] 채점 (샌드박스)")
    summary = autograde(cohort.grader, tier, jobs=jobs, progress=progress)
    say("  " + summary.text().replace("\n", "\n  "))
    say("[6/8] 피드백")
    pages = feedback(cohort.grader, tier)
    archive = zip_feedback(cohort.grader, tier)
    say(f"  피드백 {len(pages)}개, 돌려줄 zip: {archive}")
    say("[7/8] 반 보고서")
    report = class_report(cohort, [tier], say=lambda line: say(f"  {line}"))
    say("[8/8] LMS용 성적 CSV")
    export_grades(cohort, say=lambda line: say(f"  {line}"))
    say(f"끝 ({time.perf_counter() - started:.0f}초). 반 보고서: {report}")
    return report
