"""The bank browser: loaded banks and their questions, skipped banks with every diagnostic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Static

from quiz.domain.grading import grade_response
from quiz.domain.model import Bank
from quiz.domain.session import preview_item
from quiz.domain.text import visible
from quiz.tui.screens._base import QuizScreen, case_title
from quiz.tui.widgets.answer import AnswerWidget, answer_widget_for
from quiz.tui.widgets.bank_text import BankMarkdown, bank_text, visible_text
from quiz.tui.widgets.feedback import FeedbackPanel
from quiz.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quiz.banks.diagnostics import Diagnostic


class BanksScreen(QuizScreen):
    """Every discovered bank; pick one to list its questions, pick a question to try it."""

    DEFAULT_CSS = """
    #banks-body { height: 1fr; }
    #banks-left { width: 1fr; padding: 0 1; }
    #banks-right { width: 1fr; padding: 0 1; }
    #banks-table { height: auto; max-height: 12; }
    #bank-details { margin-top: 1; }
    #skipped-details { height: auto; max-height: 6; padding: 0 1; overflow-y: auto; }
    """

    BINDINGS = [Binding("escape,q", "close", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="banks-body"):
            with Vertical(id="banks-left"):
                yield Static("Banks", classes="section-title")
                yield DataTable(id="banks-table", cursor_type="row")
                yield Static(id="bank-details")
            with Vertical(id="banks-right"):
                yield Static("Questions · enter to try one", classes="section-title")
                yield DataTable(id="questions-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="skipped-details")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#banks-table", DataTable)
        table.add_columns("Bank", "Questions", "Topics")
        library = self.quiz.library
        if library is None:
            self.query_one("#bank-details", Static).update(Text("Still loading…", style="dim"))
            return
        for loaded in library.banks.values():
            bank = loaded.bank
            if bank is not None:
                table.add_row(
                    bank_text(bank.title), len(bank.questions), len(bank.topics), key=bank.id
                )
        questions = self.query_one("#questions-table", DataTable)
        questions.add_columns("Id", "Type", "Diff.", "Topic")
        skipped = self.query_one("#skipped-details", Static)
        if library.skipped or library.skipped_questions:
            text = Text(style="bold yellow")  # the lines below are yellow on it, and bold too
            if library.skipped:
                text.append(f"Skipped {len(library.skipped)} broken bank(s):\n")
            for loaded in library.skipped:
                _append_errors(text, loaded.errors)
            if left_out := library.skipped_questions:
                text.append(f"Left out {len(left_out)} broken question(s):\n")
                for _, question in left_out:
                    _append_errors(text, question.errors)
            skipped.update(text)
        else:
            skipped.display = False
        if table.row_count:
            first = table.coordinate_to_cell_key(Coordinate(0, 0)).row_key
            self._show_bank(library.bank(str(first.value)))
        table.focus()

    @on(DataTable.RowHighlighted, "#banks-table")
    def _bank_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.quiz.library is not None and event.row_key.value is not None:
            self._show_bank(self.quiz.library.bank(event.row_key.value))

    @on(DataTable.RowSelected, "#banks-table")
    def _bank_selected(self) -> None:
        self.query_one("#questions-table", DataTable).focus()

    def _show_bank(self, bank: Bank) -> None:
        reviewed = ", ".join(f"{review.by} ({review.on})" for review in bank.reviewed) or "not yet"
        details = Text.assemble(
            (bank.title, "bold"),
            f"  v{bank.version}\n" if bank.version else "\n",
            (bank.description.strip() + "\n", ""),
            ("Reviewed: ", "dim"),
            (reviewed + "\n", "dim"),
            ("Licence: ", "dim"),
            (bank.license or "–", "dim"),
        )
        details = visible_text(details)
        self.query_one("#bank-details", Static).update(details)
        questions = self.query_one("#questions-table", DataTable)
        questions.clear()
        for question in bank.questions:
            questions.add_row(
                bank_text(question.id),
                question.kind,
                question.difficulty,
                bank_text(bank.topic(question.topic).title),
                key=f"{bank.id}/{question.id}",
            )

    @on(DataTable.RowSelected, "#questions-table")
    def _question_selected(self, event: DataTable.RowSelected) -> None:
        library = self.quiz.library
        if library is None or event.row_key.value is None:
            return
        bank_id, _, question_id = event.row_key.value.partition("/")
        bank = library.bank(bank_id)
        question = next(q for q in bank.questions if q.id == question_id)
        self.app.push_screen(PreviewScreen(bank, question))

    def action_close(self) -> None:
        """Back to home."""
        self.app.pop_screen()


class PreviewScreen(QuizScreen):
    """Try one question as a trainee would see it; nothing is recorded."""

    BINDINGS = [
        Binding("enter", "check", "Check"),
        Binding("escape", "close", "Back"),
    ]

    def __init__(self, bank: Bank, question: object) -> None:
        super().__init__()
        self.bank = bank
        self.item = preview_item(bank, question)  # type: ignore[arg-type]
        self.checked = False

    def compose(self) -> ComposeResult:
        yield Static(
            Text.assemble(
                (" Preview ", "bold reverse"),
                f"  {visible(self.bank.title)} · ",
                (visible(self.item.question.id), "bold"),
                ("  (not recorded)", "dim"),
            ),
            id="status",
        )
        with VerticalScroll(id="question-body"):
            if self.item.case is not None:
                yield Static(case_title(self.item.case), classes="case-title")
                yield BankMarkdown(self.item.case.vignette, id="vignette")
            yield BankMarkdown(self.item.question.prompt, id="prompt")
            yield answer_widget_for(self.item)
            yield FeedbackPanel(id="feedback")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#feedback").display = False
        self.query_one(AnswerWidget).focus()

    @on(AnswerWidget.Submitted)
    def action_check(self) -> None:
        """Grade the answer given and show the feedback."""
        if self.checked:
            return
        widget = self.query_one(AnswerWidget)
        response = widget.response()
        if response is None:
            self.notify(widget.EMPTY_HINT, timeout=3)
            return
        grade = grade_response(self.item.question, response)
        widget.reveal(grade, response)
        feedback = self.query_one("#feedback", FeedbackPanel)
        feedback.show(self.item, grade)
        feedback.display = True
        self.checked = True
        self.query_one("#question-body", VerticalScroll).focus()

    def action_close(self) -> None:
        """Back to the bank."""
        self.app.pop_screen()


def _append_errors(text: Text, errors: list[Diagnostic], limit: int = 20) -> None:
    """Add ``errors`` to ``text``, one a line, the first ``limit`` of them."""
    for diagnostic in errors[:limit]:
        text.append(f"{visible(diagnostic.format())}\n", style="yellow")
    if len(errors) > limit:
        text.append(f"… and {len(errors) - limit} more: run ims-quiz validate\n")
