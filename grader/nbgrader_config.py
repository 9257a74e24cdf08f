"""nbgrader configuration for the course: run stock nbgrader commands from this folder.

    cd grader
    nbgrader generate_assignment beginner      # student copy -> grader/release/beginner
    nbgrader autograde beginner                # grader/submitted/<student>/beginner -> grader/autograded
    nbgrader generate_feedback beginner        # -> grader/feedback
    nbgrader export                            # -> grades.csv

The tier folders at the top of the repository (beginner/, intermediate/, advanced/) are the source
assignments. Another cohort's data: set KAKAO_ACADEMY_DATA to its folder before running.
"""

import os
import sys
from pathlib import Path

from nbgrader.converters.autograde import Autograde
from nbgrader.converters.generate_assignment import GenerateAssignment
from nbgrader.preprocessors import ClearOutput, Execute, SaveCells

from grader.preprocess import EmbedCheckTokens, HideCheckTokens, LearnerData

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "grader"

# nbgrader runs `alembic` as a command when it creates a gradebook: make sure the Python running
# nbgrader has its own bin folder (the course's .venv) on PATH, activated or not.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

# A cohort's copy of this file (``python -m grader cohort``) sits in <cohort>/grader/ beside cohort.json's folder:
# there nbgrader, its kernels and the answer keys read the cohort's own data, whatever the shell has set.
if (ROOT / "cohort.json").is_file():
    os.environ["KAKAO_ACADEMY_DATA"] = str(ROOT / "data")

c = get_config()  # noqa: F821 (provided by nbgrader when it reads this file)

c.CourseDirectory.course_id = "kakao-channel-academy"
c.CourseDirectory.root = str(ROOT)
c.CourseDirectory.source_directory = "."
c.CourseDirectory.release_directory = "grader/release"
c.CourseDirectory.submitted_directory = "grader/submitted"
c.CourseDirectory.autograded_directory = "grader/autograded"
c.CourseDirectory.feedback_directory = "grader/feedback"
c.CourseDirectory.db_url = "sqlite:///" + (HERE / "gradebook.db").as_posix()

# Student copies: answer stub in Korean; visible checks get their hashed tokens and a 제출 전 점검 at the end (the
# gradebook keeps both); the tokens then leave the learner's cells for .checks/<lesson>.json, like the hidden tests.
c.ClearSolutions.code_stub = {"python": "# 여기에 코드를 쓰세요"}
c.ClearSolutions.text_stub = "여기에 답을 쓰세요."
_steps = list(GenerateAssignment.preprocessors.default())
_steps.insert(_steps.index(ClearOutput) + 1, EmbedCheckTokens)
_steps.insert(_steps.index(SaveCells) + 1, HideCheckTokens)
c.GenerateAssignment.preprocessors = _steps

# Autograding in a cohort with per-learner data: each learner's notebooks run on (and are keyed to) their own data.
if (ROOT / "cohort.json").is_file():
    c.LearnerData.cohort_folder = str(ROOT)
    _grading = list(Autograde.autograde_preprocessors.default())
    _grading.insert(_grading.index(Execute), LearnerData)
    c.Autograde.autograde_preprocessors = _grading

# Autograding: a runaway cell stops after two minutes; library warnings on stderr
# of any class (pandas FutureWarning, Pandas4Warning, RuntimeWarning) do not zero a correct answer.
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
c.IgnorePattern.enabled = True
c.IgnorePattern.pattern = r"\w*Warning\b"  # any warning class (pandas 3 adds Pandas4Warning; RuntimeWarning too)
