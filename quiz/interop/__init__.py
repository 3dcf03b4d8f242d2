"""Other formats: Moodle XML and GIFT in and out, Anki decks out.

Each direction of a format has its own module: :mod:`~quiz.interop.moodle_write` and
:mod:`~quiz.interop.gift_write` hold the ``export_*`` functions (a
:class:`~quiz.domain.model.Bank` to text, with the warnings for what the format cannot hold),
:mod:`~quiz.interop.moodle_read` and :mod:`~quiz.interop.gift_read` the ``import_*`` functions
(bytes from a stranger to a bank, with a warning for each thing that could not be carried);
:mod:`~quiz.interop.moodle_questions` reads one Moodle ``<question>``. What both formats share
is in :mod:`~quiz.interop.moodle_texts` (grades, category paths, the case and references the
exporters add to the texts) and :mod:`~quiz.interop.htmltext` (Moodle's HTML as Markdown).
:mod:`quiz.interop.anki` writes Anki decks. :mod:`quiz.interop.yamlwrite` writes an imported
bank as readable bank-format-v1 YAML. genanki is imported only inside
:func:`quiz.interop.anki.export_anki`.
"""

from __future__ import annotations

from quiz.interop.report import ImportProblem, ImportResult, InteropWarning

__all__ = ["ImportProblem", "ImportResult", "InteropWarning"]
