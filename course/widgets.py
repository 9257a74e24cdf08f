"""ipywidgets front-end of the crisis drill (advanced/04): buttons over ``course.drills.Drill``, nothing more.

    from course.widgets import drill_widget
    drill_widget("INC1", seed=7)   # the last line of a cell shows it

All the rules live in the engine; this module only shows the current step and passes clicks on. It builds
without a browser (headless runs and tests can click its buttons with ``button.click()``).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from .drills import CHOICES, MANUAL_STEPS, Drill, Outcome

__all__ = ["DrillView", "drill_widget"]


class DrillView(widgets.VBox):
    """The drill on screen: progress, situation, one button per choice, and at the end the outcome and debrief."""

    def __init__(self, drill: Drill):
        self.drill = drill
        self.title = widgets.HTML(f"<h4>위기 대응 훈련: {html.escape(drill.scenario)} (시드 {drill.seed})</h4>"
                                  "<p>훈련 시계는 경보가 울린 때(0분)부터 가요. 시간은 모두 '경보 후 몇 분'이에요.</p>")
        self.progress = widgets.IntProgress(value=0, min=0, max=drill.n_steps, description="진행")
        self.step_label = widgets.HTML()
        self.situation = widgets.HTML()
        self.choice_box = widgets.VBox()
        self.history = widgets.HTML()
        self.result = widgets.HTML()
        self.buttons: list[widgets.Button] = []
        super().__init__([self.title, widgets.HBox([self.progress, self.step_label]), self.situation,
                          self.choice_box, self.history, self.result])
        self._render()

    def _on_click(self, button: widgets.Button) -> None:
        if self.drill.finished:  # a stale button: the drill is over, nothing to do
            return
        self.drill.choose(button.choice_id)
        self._render()

    def _render(self) -> None:
        drill = self.drill
        self.progress.value = len(drill.choices)
        taken = [f"<li>{MANUAL_STEPS[i]}: {html.escape(self._label(i, choice_id))}</li>"
                 for i, choice_id in enumerate(drill.choices)]
        self.history.value = f"<b>지금까지 고른 것</b><ol>{''.join(taken)}</ol>" if taken else ""
        step = drill.current
        if step is None:
            self.step_label.value = f"<b>{drill.n_steps}단계 모두 끝났어요</b>"
            self.situation.value = ""
            self.buttons = []
            self.choice_box.children = ()
            self.result.value = self._outcome_html(drill.outcome())
            return
        self.step_label.value = f"<b>{step.number}/{drill.n_steps}단계 · {html.escape(step.manual_step)}</b>"
        self.situation.value = f"<p>{html.escape(step.situation)}</p>"
        self.buttons = []
        for choice in step.choices:
            button = widgets.Button(description=choice.label, tooltip=choice.label,
                                    layout=widgets.Layout(width="auto"))
            button.choice_id = choice.id
            button.on_click(self._on_click)
            self.buttons.append(button)
        self.choice_box.children = tuple(self.buttons)
        self.result.value = ""

    @staticmethod
    def _label(index: int, choice_id: str) -> str:
        return next(choice.label for choice in CHOICES[index] if choice.id == choice_id)

    @staticmethod
    def _outcome_html(outcome: Outcome) -> str:
        cells = "".join(f"<tr><td>{html.escape(name)}</td><td style='text-align:right'>{value:,}</td></tr>"
                        for name, value in outcome.as_dict().items())
        notes = "".join(f"<li><b>{MANUAL_STEPS[i]}</b>: {html.escape(text)}</li>" for i, text in enumerate(outcome.debrief))
        return (f"<h4>결과</h4><table>{cells}</table><h4>되짚어 보기</h4><ol>{notes}</ol>"
                f"<p>같은 시드로 같은 선택을 하면 언제나 같은 결과가 나와요. 다른 선택으로 다시 해 보려면 셀을 다시 실행하세요.</p>")


def drill_widget(scenario: str, seed: int) -> DrillView:
    """A clickable drill for ``scenario`` (INC1-INC4) on ``seed``; the same seed replays the same drill."""
    return DrillView(Drill(scenario, seed))
