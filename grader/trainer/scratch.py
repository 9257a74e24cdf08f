"""A folder to write into beside its target before moving it into place whole (a stopped run leaves nothing half
made).

``tempfile.mkdtemp`` makes a folder only its owner can open; moved into place, the cohort's data, a learner's data
and check files, or a handout would stay closed to everyone else, and on a JupyterHub the learners read those as
their own users. The folder gets the modes any folder the trainer makes gets (the umask's).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def scratch_folder(parent: Path, prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    mask = os.umask(0)
    os.umask(mask)
    folder.chmod(0o777 & ~mask)
    return folder
