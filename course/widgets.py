"""ipywidgets front-end of the crisis drill (advanced/04): buttons over ``course.drills.Drill``, nothing more.

    from course.widgets import drill_widget
    drill_widget("INC1", seed=7)   # the last line of a cell shows it

All the rules live in the engine; this module only shows the current step and passes clicks on. It builds
without a browser (headless runs and tests can click its buttons with ``button.click()``).
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from . import composer
from .drills import CHOICES, MANUAL_STEPS, Drill, Outcome

__all__ = ["ComposerView", "DrillView", "composer_widget", "drill_widget"]


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
        self.add_class("academy-drill")  # how a page (and the browser test) finds the drill
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


class ComposerView(widgets.VBox):
    """The composer on screen, in the 관리자센터's order; '점검하고 미리보기' shows what to fix, or the preview."""

    def __init__(self, channel: str = "내 채널", friends: int = 0, now: str | None = None):
        self.channel, self.friends, self.now = channel, int(friends), now
        style, wide = {"description_width": "7em"}, widgets.Layout(width="36em")
        self.fields = {
            "msg_type": widgets.Dropdown(options=composer.TYPES, description="1. 유형", style=style),
            "text": widgets.Textarea(description="2. 내용", layout=wide, style=style),
            "items": widgets.Text(description="항목·카드", placeholder="쉼표로 나눠요 (와이드 리스트·캐러셀)", layout=wide,
                                  style=style),
            "buttons": widgets.Text(description="3. 버튼", placeholder="버튼 이름을 쉼표로 나눠요", layout=wide, style=style),
            "target": widgets.Dropdown(options=composer.TARGETS, description="4. 대상", style=style),
            "group_size": widgets.IntText(value=0, description="대상 인원", style=style),
            "is_ad": widgets.Checkbox(value=False, description="5. 광고 메시지로 설정 ((광고)·수신 거부를 카카오가 붙여요)",
                                      indent=False),
            "send_at": widgets.Text(description="6. 예약", placeholder="YYYY-MM-DD HH:MM (비우면 지금)", style=style),
        }
        self.check = widgets.Button(description="점검하고 미리보기", button_style="primary")
        self.check.on_click(lambda _button: self._show())
        self.result = widgets.HTML()
        super().__init__([widgets.HTML("<h4>메시지 작성 (관리자센터 순서)</h4>"), *self.fields.values(), self.check,
                          self.result])
        self.add_class("academy-composer")

    def draft(self) -> composer.Draft:
        values = {name: widget.value for name, widget in self.fields.items()}
        split = lambda text: [part.strip() for part in text.split(",") if part.strip()]  # noqa: E731
        return composer.Draft(msg_type=values["msg_type"], text=values["text"], items=split(values["items"]),
                              buttons=split(values["buttons"]), target=values["target"],
                              group_size=values["group_size"] or None, is_ad=values["is_ad"],
                              send_at=values["send_at"].strip())

    def _show(self) -> None:
        draft = self.draft()
        found = composer.problems(draft, now=self.now)
        errors = [p for p in found if p.level == "오류"]
        notes = "".join(f"<li><b>{html.escape(p.step)} · {html.escape(p.rule)}</b> ({p.level}): "
                        f"{html.escape(p.message)}</li>" for p in found)
        if errors:
            self.result.value = f"<p><b>이대로는 보낼 수 없어요.</b></p><ul>{notes}</ul>"
            return
        low, high = composer.cost_range(draft, self.friends)
        people = composer.recipients(draft, self.friends)
        self.result.value = (f"<p><b>7. 미리보기</b></p><pre>{html.escape(composer.preview(draft, self.channel))}</pre>"
                             f"<p>받는 사람 {people:,}명 · 예상 비용 {low:,}~{high:,}원</p>"
                             + (f"<ul>{notes}</ul>" if notes else ""))


def composer_widget(channel: str = "내 채널", friends: int = 0, now: str | None = None) -> ComposerView:
    """The message composer; ``friends``: the channel's friend count (for 전체), ``now``: the clock for schedules."""
    return ComposerView(channel, friends, now)
