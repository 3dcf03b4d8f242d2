"""Other formats: Moodle XML and GIFT in and out, Anki decks out.

Each format has its own module with an ``export_*`` function (a :class:`~quiz.domain.model.Bank`
to text or bytes, with the warnings for what the format cannot hold) and, for Moodle XML and
GIFT, an ``import_*`` function (bytes from a stranger to a bank, with a warning for each thing
that could not be carried). :mod:`quiz.interop.yamlwrite` writes an imported bank as readable
bank-format-v1 YAML. genanki is imported only inside :func:`quiz.interop.anki.export_anki`.
"""

from __future__ import annotations

from quiz.interop.report import ImportProblem, ImportResult, InteropWarning

__all__ = ["ImportProblem", "ImportResult", "InteropWarning"]
