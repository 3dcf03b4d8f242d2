"""The bank browser: loaded banks and their questions, skipped banks with every diagnostic."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, Header, Input, Static

from quiz.domain.grading import grade_response
from quiz.domain.model import Bank, Question
from quiz.domain.plain import first_line
from quiz.domain.session import preview_item
from quiz.domain.text import visible
from quiz.tui.screens._base import QuizScreen, case_title, fill_width
from quiz.tui.widgets.answer import AnswerWidget, answer_widget_for
from quiz.tui.widgets.bank_text import BankMarkdown, bank_text, visible_text
from quiz.tui.widgets.feedback import FeedbackPanel
from quiz.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quiz.banks.diagnostics import Diagnostic


class BanksScreen(QuizScreen):
    """Every discovered bank and its questions (by prompt), a search over every bank's text,
    a preview of a whole bank with its keys, and any question to try."""

    DEFAULT_CSS = """
    #banks-top { height: auto; max-height: 9; }
    #banks-table { width: 40; height: auto; max-height: 8; }
    #bank-details { width: 1fr; height: auto; max-height: 8; padding: 0 1; overflow-y: auto; }
    #banks-search { margin: 0 1; }
    #questions-table { height: 1fr; margin: 0 1; }
    #skipped-details { height: auto; max-height: 6; padding: 0 1; overflow-y: auto; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("slash", "search", "Search", tooltip="search every bank's questions by text"),
        Binding(
            "ctrl+b",
            "preview_bank",
            "Preview bank",
            tooltip="page through the highlighted bank as trainees see it, keys shown",
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="banks-top"):
            yield DataTable(id="banks-table", cursor_type="row")
            yield Static(id="bank-details")
        yield Input(placeholder="/ search prompts, options, ids (all banks)", id="banks-search")
        yield DataTable(id="questions-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="skipped-details")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#banks-table", DataTable)
        # Fixed widths: an auto-sized title column would push the others off an 80-column
        # screen (the Question column takes what the screen has left: fill_width).
        table.add_column("Bank", width=BANK_COLUMN)
        table.add_column("Qs", width=4)
        library = self.quiz.library
        if library is None:
            self.query_one("#bank-details", Static).update(Text("Still loading…", style="dim"))
            return
        for loaded in library.banks.values():
            bank = loaded.bank
            if bank is not None:
                table.add_row(bank_text(bank.title), len(bank.questions), key=bank.id)
        questions = self.query_one("#questions-table", DataTable)
        for label, width in (("Question", 40), ("Type", 6), ("D", 1), ("Topic", TOPIC_COLUMN)):
            questions.add_column(label, width=width, key=label)
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
            self._show_bank(library.bank(self._highlighted_bank_id() or ""))
        table.focus()

    def on_resize(self) -> None:
        fill_width(self.query_one("#questions-table", DataTable), "Question")

    def _highlighted_bank_id(self) -> str | None:
        table = self.query_one("#banks-table", DataTable)
        if not table.row_count:
            return None
        row = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key
        return None if row.value is None else str(row.value)

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
        if not self.query_one("#banks-search", Input).value.strip():
            self._list_questions([(bank, question) for question in bank.questions])

    def _list_questions(self, rows: list[tuple[Bank, Question]]) -> None:
        """Fill the questions table: each question's prompt (first line), type, difficulty and
        topic; enter tries it."""
        questions = self.query_one("#questions-table", DataTable)
        questions.clear()
        for bank, question in rows:
            questions.add_row(
                bank_text(first_line(question.prompt, limit=200)),
                TYPE_NAMES.get(question.kind, question.kind),
                question.difficulty,
                bank_text(bank.topic(question.topic).title),
                key=f"{bank.id}/{question.id}",
            )

    @on(Input.Changed, "#banks-search")
    def _search_changed(self, event: Input.Changed) -> None:
        library = self.quiz.library
        if library is None:
            return
        query = event.value.strip()
        if not query:
            self._show_bank(library.bank(self._highlighted_bank_id() or ""))
            return
        self._list_questions(
            [
                (bank, question)
                for bank in library.usable()
                for question in bank.questions
                if question_matches(question, query)
            ]
        )

    @on(Input.Submitted, "#banks-search")
    def _search_submitted(self) -> None:
        self.query_one("#questions-table", DataTable).focus()

    def action_search(self) -> None:
        """Focus the search box."""
        self.query_one("#banks-search", Input).focus()

    def action_preview_bank(self) -> None:
        """Every question of the highlighted bank as trainees see it, with its key and every
        explanation, one page each (n and p move)."""
        from quiz.domain.grading import grade_response, key_response
        from quiz.domain.session import Answer
        from quiz.tui.screens.results import ReviewScreen

        library = self.quiz.library
        bank_id = self._highlighted_bank_id()
        if library is None or bank_id is None:
            return
        bank = library.bank(bank_id)
        items = [preview_item(bank, question) for question in bank.questions]
        answers = {}
        for index, item in enumerate(items):
            response = key_response(item.question)
            if response is not None:
                grade = grade_response(item.question, response)
                answers[index] = Answer(index, response, grade, 0.0)
        label = f"Preview · {visible(bank.id)} · keys shown"
        self.app.push_screen(
            ReviewScreen(None, 0, items=items, answers=answers, label=label, keys=True)
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
        """Back to home (from the search box: out of it first)."""
        search = self.query_one("#banks-search", Input)
        if search.has_focus:
            self.query_one("#questions-table", DataTable).focus()
            return
        self.app.pop_screen()


BANK_COLUMN = 30
"""The banks table's title column: with the count, half of 80 columns."""
TOPIC_COLUMN = 14

TYPE_NAMES = {
    "single": "single",
    "multiple": "multi",
    "true_false": "T/F",
    "matching": "match",
    "ordering": "order",
    "short": "short",
}
"""The questions table's short type names (its Type column is narrow at 80 columns)."""


def question_matches(question: Question, query: str) -> bool:
    """Whether ``query`` (case-insensitive) is in the question's id, prompt, options, answers or
    explanation."""
    needle = query.casefold()
    texts = [question.id, question.prompt, question.explanation]
    texts += [choice.text for choice in getattr(question, "choices", ())]
    texts += [item for pair in getattr(question, "pairs", ()) for item in pair]
    texts += list(getattr(question, "items", ())) + list(getattr(question, "answers", ()))
    return any(needle in text.casefold() for text in texts)


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
