"""nbgrader preprocessor: give every visible check in a student copy its token (hashes only)."""

from __future__ import annotations

import re

from nbgrader.preprocessors import NbGraderPreprocessor

from .keys import spec_for

# check("orientation.friends_now", friends_now)  ->  check("orientation.friends_now", friends_now, "<token>")
CHECK_CALL = re.compile(r"""check\(\s*(["'])(?P<qid>[\w.]+)\1\s*,\s*(?P<value>[A-Za-z_]\w*)\s*\)""")


class EmbedCheckTokens(NbGraderPreprocessor):
    """Runs inside ``nbgrader generate_assignment``, before checksums and the gradebook see the cells."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "check(" in cell.source:
            cell.source = CHECK_CALL.sub(
                lambda m: f'check("{m["qid"]}", {m["value"]}, "{spec_for(m["qid"]).to_token()}")', cell.source)
        return cell, resources
