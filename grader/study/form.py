"""The case form of the study notebook (ipywidgets) over the same functions as ``study case add``.

A case that cannot be added leaves every field as it was and says in Korean what to fix; an added case clears the
case's own fields and keeps who and which channel, for the next one.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from .caselog import LABELS, OUTCOMES, add_case, make_case
from .lessons import lessons, short
from .store import StudyDB, StudyError

TEXTS = ("member", "channel", "situation", "tried", "kpi", "before", "after", "learned")
KEPT = ("member", "channel")  # stay after an added case


def case_form(folder: str | Path = "스터디", week: int = 1):
    """The form; ``form.fields`` (name -> widget), ``form.add`` (the button) and ``form.message`` for tests."""
    import ipywidgets as widgets

    db = StudyDB(folder)
    layout = widgets.Layout(width="32em")
    style = {"description_width": "8em"}
    fields = {"week": widgets.BoundedIntText(value=int(week), min=1, max=520, description=LABELS["week"],
                                             style=style)}
    for name in TEXTS:
        long = name in ("situation", "tried", "learned")
        kind = widgets.Textarea if long else widgets.Text
        fields[name] = kind(description=LABELS[name], layout=layout, style=style,
                            placeholder={"kpi": "예: 차단율", "before": "예: 0.012", "after": "예: 0.007"}.get(name, ""))
    fields["lesson"] = widgets.Dropdown(options=[(f"{short(k)} {t}", short(k)) for k, t in lessons().items()],
                                        description=LABELS["lesson"], layout=layout, style=style)
    fields["outcome"] = widgets.ToggleButtons(options=OUTCOMES, index=None, description=LABELS["outcome"], style=style)
    add = widgets.Button(description="사례 기록하기", button_style="primary", icon="check")
    message = widgets.HTML()

    def on_add(_button) -> None:
        values = {name: widget.value for name, widget in fields.items()}
        try:
            number = add_case(db, make_case(**values))
        except StudyError as error:
            said = re.sub(r"\(--\w+\)", "", str(error))  # the command line's option names mean nothing in a form
            lines = "<br>".join(escape(line, quote=False) for line in said.splitlines())
            message.value = f'<div style="color:#b00020">{lines}</div>'
            return
        message.value = f"<div>사례 {number}번을 기록했어요. 고마워요: 실패 사례도 팀의 자산이에요.</div>"
        for name in TEXTS:
            if name not in KEPT:
                fields[name].value = ""

    add.on_click(on_add)
    form = widgets.VBox([widgets.HTML("<b>우리 채널 사례 기록</b> (성공도 실패도 같은 무게로)"), *fields.values(), add,
                         message])
    form.fields, form.add, form.message = fields, add, message
    return form
