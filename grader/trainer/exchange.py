"""The nbgrader exchange (JupyterHub): where it is for a cohort, and what learners have submitted into it.

On JupyterHub, learners run ``nbgrader fetch_assignment`` and ``nbgrader submit``; each submission lands in
``<Exchange.root>/<course_id>/inbound/<user>+<tier>+<UTC time>[+<random>]/``, named by the learner's OS user name.
``python -m grader collect <tier> --exchange`` reads every submission there, not only the newest one per learner as
``nbgrader collect`` does, so the collect rules (late, duplicate, unknown learner: reported and kept aside) apply to
the exchange as to a folder or an LMS zip. The exchange is only read: nothing in it is moved or removed.

Where the exchange is comes from nbgrader's own configuration, read by nbgrader (``/etc/jupyter``, ``~/.jupyter``,
``JUPYTER_CONFIG_DIR`` and the cohort's ``grader/nbgrader_config.py``), in a process of its own (the course's config
file sets the data folder for the process that reads it).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .cohort import Cohort
from .errors import TrainerError

_SETTINGS = """
import json
from nbgrader.apps.baseapp import NbGrader
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange.default.exchange import Exchange
app = NbGrader()
app.initialize([])
print(json.dumps({"root": Exchange(config=app.config).root, "course": CourseDirectory(config=app.config).course_id}))
"""


@dataclass(frozen=True)
class Inbox:
    """One course's submissions in the exchange."""

    root: Path
    course_id: str

    @property
    def inbound(self) -> Path:
        return self.root / self.course_id / "inbound"

    def submissions(self, tier: str) -> list[tuple[str, datetime, Path]]:
        """(user, when submitted in local time, folder) of every submission of ``tier``, oldest first."""
        from nbgrader.utils import parse_utc

        if not self.inbound.is_dir():
            raise TrainerError(f"교환 폴더에 이 과정({self.course_id})의 제출함이 없어요: {self.inbound}. "
                               "nbgrader release_assignment로 과정을 내보냈는지, Exchange.root 설정이 맞는지 확인해 "
                               "주세요.")
        found = []
        for folder in self.inbound.iterdir():
            parts = folder.name.rsplit("+", 3)  # as nbgrader's collect splits it (a user name may hold '+')
            if not folder.is_dir() or len(parts) < 3:
                continue
            if len(parts) == 4 and parts[1] != tier:  # no random part: user+tier+time
                parts = folder.name.rsplit("+", 2)
            user, assignment, stamp = parts[0], parts[1], parts[2]
            if assignment != tier:
                continue
            try:
                when = parse_utc(stamp).astimezone().replace(tzinfo=None)
            except (ValueError, OverflowError):
                continue
            found.append((user, when, folder))
        return sorted(found, key=lambda one: (one[1], one[0]))


def inbox_of(cohort: Cohort, root: Path | None = None) -> Inbox:
    """The cohort's course in the exchange, as nbgrader is configured for it (``root`` given: that exchange)."""
    ran = subprocess.run([sys.executable, "-c", _SETTINGS], cwd=cohort.grader, capture_output=True, text=True,
                         timeout=120)
    try:
        settings = json.loads(ran.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        raise TrainerError("nbgrader 설정에서 교환 폴더(Exchange.root)를 읽지 못했어요:\n"
                           + (ran.stderr.strip()[-1500:] or ran.stdout.strip()[-1500:])) from None
    return Inbox(Path(root) if root else Path(settings["root"]), settings["course"])
