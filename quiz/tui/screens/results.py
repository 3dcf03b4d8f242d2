"""Results: the score, time, a per-topic table, and every question to review."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from quiz.domain.cbm import (
    CALIBRATION_HEADINGS,
    DEFAULT_CERTAINTY,
    calibration_cells,
    cbm_mark,
    summary_line,
)
from quiz.domain.plain import first_line
from quiz.domain.session import Mode, SessionPlan
from quiz.domain.text import visible
from quiz.tui.screens._base import QuizScreen, case_title, fill_width
from quiz.tui.widgets._option_list import OptionListAnswer
from quiz.tui.widgets.answer import answer_widget_for
from quiz.tui.widgets.bank_text import BankMarkdown, bank_text
from quiz.tui.widgets.feedback import FeedbackPanel, verdict_text
from quiz.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from quiz.domain.cbm import CbmReport
    from quiz.domain.session import SessionItem
    from quiz.service import ActiveSession, Answer, SessionResult


class ResultsScreen(QuizScreen):
    """What a finished session scored, and the way into reviewing each question."""

    DEFAULT_CSS = """
    #results-headline { height: auto; background: $boost; padding: 0 1; }
    #results-body { padding: 0 2; }
    #topics-table { height: auto; max-height: 12; }
    #calibration-table { height: auto; }
    #questions-table { height: auto; }
    """

    BINDINGS = [
        Binding("r", "retry", "Retry mistakes", tooltip="retry the questions you got wrong"),
        Binding("escape,h", "home", "Home"),
    ]

    def __init__(self, session: ActiveSession, result: SessionResult) -> None:
        super().__init__()
        self.session = session
        self.result = result

    def compose(self) -> ComposeResult:
        result = self.result
        minutes, seconds = divmod(int(result.seconds), 60)
        headline = Text()
        headline.append(f" {result.mode.label} results ", style="bold reverse")
        good = result.score >= 0.8
        style = "bold green" if good else "bold yellow" if result.score >= 0.5 else "bold red"
        headline.append(f"  Score {result.score:.0%}", style=style)
        headline.append(f"   {result.correct}/{result.total} correct")
        if result.answered < result.total:
            headline.append(f"   {result.total - result.answered} unanswered", style="yellow")
        headline.append(f"   time {minutes}:{seconds:02d}")
        if result.mode is Mode.EXAM and result.elapsed is not None:
            elapsed_minutes, elapsed_seconds = divmod(int(result.elapsed), 60)
            headline.append(f"   elapsed {elapsed_minutes}:{elapsed_seconds:02d}")
        if result.unsafe:
            headline.append(f"   ⚠ {len(result.unsafe)} unsafe pick(s)", style="bold red")
        yield Static(headline, id="results-headline")
        with VerticalScroll(id="results-body"):
            if result.cbm is not None:
                yield Static("How sure you were (certainty-based marking)", classes="section-title")
                yield Static(cbm_summary(result.cbm), id="cbm-summary")
                yield DataTable(id="calibration-table", cursor_type="none", zebra_stripes=True)
            yield Static("By topic", classes="section-title")
            yield DataTable(id="topics-table", cursor_type="none", zebra_stripes=True)
            yield Static("Questions (enter: look back at one)", classes="section-title")
            yield DataTable(id="questions-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        if self.result.cbm is not None:
            calibration = self.query_one("#calibration-table", DataTable)
            calibration.add_columns(*CALIBRATION_HEADINGS)
            for level in self.result.cbm.calibration:
                calibration.add_row(*calibration_cells(level))
        topics = self.query_one("#topics-table", DataTable)
        topics.add_columns("Topic", "Answered", "Correct", "Score")
        for row in self.result.per_topic:
            topics.add_row(bank_text(row.title), row.answered, row.correct, f"{row.score:.0%}")
        questions = self.query_one("#questions-table", DataTable)
        # The question first and widest (fill_width); the topic after, cut to a fixed width;
        # with certainty-based marking, how sure each answer was said and its mark.
        columns = [("#", 3), ("", 1), ("Question", 40), ("Topic", 18)]
        marked = self.result.cbm is not None
        if marked:
            columns.insert(2, ("Sure", 11))
        for label, width in columns:
            questions.add_column(label, width=width, key=label or "verdict")
        for index, item in enumerate(self.session.items):
            answer = self.session.answers.get(index)
            cells: list[object] = [
                index + 1,
                verdict_text(answer.grade if answer else None)[:1],
                bank_text(first_line(item.question.prompt, limit=200)),
                bank_text(item.topic_title),
            ]
            if marked:
                cells.insert(2, certainty_cell(answer))
            questions.add_row(*cells, key=str(index))
        questions.focus(scroll_visible=False)

    def on_resize(self) -> None:
        questions = self.query_one("#questions-table", DataTable)
        # A third of a wide screen for the topic, never less than at 80 columns.
        topic = questions.columns.get(ColumnKey("Topic"))
        if topic is not None:
            topic.width = max(18, questions.scrollable_content_region.width // 3 - 2)
        fill_width(questions, "Question")

    @on(DataTable.RowSelected, "#questions-table")
    def _review(self, event: DataTable.RowSelected) -> None:
        index = int(event.row_key.value or 0)
        self.app.push_screen(ReviewScreen(self.session, index))

    def action_retry(self) -> None:
        """Practise the questions answered wrong (or left unanswered) again."""
        keys = tuple(self.session.items[index].key for index in self.result.mistakes)
        if not keys:
            self.notify("No mistakes to retry.")
            return
        self.quiz.go_home().start_session(
            SessionPlan(mode=Mode.PRACTICE, question_keys=keys, count=len(keys))
        )

    def action_home(self) -> None:
        """Back to the home screen."""
        self.quiz.go_home()


def certainty_cell(answer: Answer | None) -> Text:
    """How sure ``answer`` was said and the CBM mark it earned (``sure +3``, ``fairly -2``);
    empty for a question left unanswered. A mark lost is shown in the wrong answer's colour."""
    if answer is None:
        return Text()
    certainty = answer.certainty or DEFAULT_CERTAINTY
    mark = cbm_mark(answer.grade.score, certainty)
    said = certainty.label.split()[0]  # "not", "fairly", "sure": the narrow column's word
    return Text(f"{said} {mark:+.2g}", style="bold red" if mark < 0 else "")


def cbm_summary(report: CbmReport) -> Text:
    """The CBM figures above the calibration table, confident errors called out."""
    text = Text(summary_line(report))
    if report.confident_unsafe:
        text.append(
            f"\n⚠ {report.confident_unsafe} confident unsafe pick(s): sure of a harmful option",
            style="bold red",
        )
    if report.confident_errors:
        text.append(
            f"\n✘ {report.confident_errors} confident error(s): wrong when fairly sure or sure",
            style="bold yellow",
        )
    return text


class ReviewScreen(QuizScreen):
    """One question of a finished session: the answer given, the key and every why."""

    BINDINGS = [
        Binding("escape", "close", "Back"),
        Binding("n,right", "move(1)", "Next"),
        Binding("p,left", "move(-1)", "Previous"),
    ]

    def __init__(
        self,
        session: ActiveSession | None,
        index: int,
        *,
        items: Sequence[SessionItem] = (),
        answers: Mapping[int, Answer] | None = None,
        label: str = "Answers",
        keys: bool = False,
    ) -> None:
        """Show ``session``'s item ``index`` and its answer; or, without a session, ``items``
        with ``answers`` (the bank browser's preview shows every key so, ``keys``: the answers
        are the keys), titled ``label``."""
        super().__init__()
        self.items: Sequence[SessionItem] = session.items if session is not None else items
        self.answers: Mapping[int, Answer] = (
            session.answers if session is not None else answers or {}
        )
        self.label = label
        self.keys = keys
        self.index = index

    def compose(self) -> ComposeResult:
        yield Static(id="status")
        with VerticalScroll(id="question-body"):
            yield Static(id="case-title", classes="case-title")
            yield BankMarkdown(id="vignette")
            yield BankMarkdown(id="prompt")
            yield Vertical(id="answer-slot")
            yield FeedbackPanel(id="feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.show(self.index)

    def show(self, index: int) -> None:
        """Show question ``index`` as answered."""
        self.index = index
        item = self.items[index]
        answer = self.answers.get(index)
        status = Text.assemble(
            (f" {self.label} ", "bold reverse"),
            (f"  {index + 1}/{len(self.items)}  ", "bold"),
            (visible(item.topic_title), "italic"),
        )
        self.query_one("#status", Static).update(status)
        title = self.query_one("#case-title", Static)
        vignette = self.query_one("#vignette", BankMarkdown)
        title.display = vignette.display = item.case is not None
        if item.case is not None:
            title.update(case_title(item.case))
            vignette.update(item.case.vignette)
        self.query_one("#prompt", BankMarkdown).update(item.question.prompt)
        slot = self.query_one("#answer-slot")
        slot.remove_children()
        widget = answer_widget_for(item, answer.response if answer else None)
        if isinstance(widget, OptionListAnswer):
            widget.key_as_answer = self.keys
        slot.mount(widget)
        if answer is not None:
            widget.reveal(answer.grade, answer.response)
        else:
            from quiz.domain.grading import Grade

            widget.reveal(Grade(score=0.0, correct=False, unsafe=False), None)
        self.query_one("#feedback", FeedbackPanel).show(
            item, answer.grade if answer else None, answer.certainty if answer else None
        )
        self.query_one("#question-body", VerticalScroll).focus()

    def action_move(self, step: int) -> None:
        """Next or previous question."""
        target = self.index + step
        if 0 <= target < len(self.items):
            self.show(target)

    def action_close(self) -> None:
        """Back to the results."""
        self.app.pop_screen()
