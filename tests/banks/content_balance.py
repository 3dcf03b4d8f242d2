"""How far a test-wise guess gets in a bank: key length and select-all balance (CONTENT.md).

``python -m tests.banks.content_balance [BANK.yaml ...]`` prints the figures for each bank (the
shipped ones by default), so an author can check an edit before the test holds the bank to them.

- **Key length.** For each ``single`` item, "pick the longest option" scores ``1/k`` when the key
  is one of ``k`` options tied for the longest (characters, whitespace collapsed), and so for
  "pick the shortest". Across a bank each strategy's share must lie within 0.6x to 1.4x of what
  blind guessing scores (the mean of ``1/options``): 15% to 35% when every item has four options.
- **Select-all balance.** Across a bank's ``multiple`` items, correct options are 30% to 60% of
  all options, and no item has every option correct.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from quiz.banks.loader import load_bank_file
from quiz.domain.model import Bank, MultipleChoice, SingleChoice

SHIPPED = Path(__file__).resolve().parents[2] / "question_banks"
LOW, HIGH = 0.6, 1.4
"""The band around chance that the longest- and shortest-option strategies must stay within."""
CORRECT_SHARE = (0.30, 0.60)


def _length(text: str) -> int:
    return len(" ".join(text.split()))


def _strategy_score(lengths: list[int], key: int, pick: type[max] | type[min]) -> float:
    best = pick(lengths)
    tied = [index for index, length in enumerate(lengths) if length == best]
    return 1 / len(tied) if key in tied else 0.0


@dataclass
class Balance:
    bank: str
    singles: int = 0
    chance: float = 0.0
    longest: float = 0.0
    shortest: float = 0.0
    multiple_options: int = 0
    multiple_correct: int = 0
    all_correct: list[str] = field(default_factory=list)

    @property
    def correct_share(self) -> float:
        return self.multiple_correct / self.multiple_options if self.multiple_options else 0.0

    def problems(self) -> list[str]:
        found = []
        if self.singles:
            low, high = LOW * self.chance, HIGH * self.chance
            for name, share in (("longest", self.longest), ("shortest", self.shortest)):
                if not low <= share <= high:
                    found.append(
                        f"{self.bank}: the key is the {name} option in {share:.0%} of single "
                        f"items; keep it within {low:.0%}-{high:.0%} (chance {self.chance:.0%})"
                    )
        if self.multiple_options:
            low, high = CORRECT_SHARE
            if not low <= self.correct_share <= high:
                found.append(
                    f"{self.bank}: {self.correct_share:.0%} of select-all options are correct; "
                    f"keep it within {low:.0%}-{high:.0%}"
                )
        found += [f"{self.bank}: every option of {qid} is correct" for qid in self.all_correct]
        return found


def balance(bank: Bank) -> Balance:
    result = Balance(bank.id)
    chance = longest = shortest = 0.0
    for question in bank.questions:
        if isinstance(question, SingleChoice):
            lengths = [_length(choice.text) for choice in question.choices]
            key = next(i for i, choice in enumerate(question.choices) if choice.correct)
            result.singles += 1
            chance += 1 / len(lengths)
            longest += _strategy_score(lengths, key, max)
            shortest += _strategy_score(lengths, key, min)
        elif isinstance(question, MultipleChoice):
            correct = sum(choice.correct for choice in question.choices)
            result.multiple_options += len(question.choices)
            result.multiple_correct += correct
            if correct == len(question.choices):
                result.all_correct.append(question.id)
    if result.singles:
        result.chance = chance / result.singles
        result.longest = longest / result.singles
        result.shortest = shortest / result.singles
    return result


def load(path: Path) -> Bank:
    loaded = load_bank_file(path)
    if loaded.bank is None:
        raise SystemExit(f"{path}: does not load; run ims-quiz validate {path}")
    return loaded.bank


def main(argv: list[str]) -> int:
    paths = [Path(arg) for arg in argv] or sorted(SHIPPED.glob("*.yaml"))
    print(f"{'bank':<18} {'single':>6} {'chance':>7} {'longest':>8} {'shortest':>9} "
          f"{'select-all correct':>19}")  # fmt: skip
    problems = []
    for path in paths:
        figures = balance(load(path))
        print(
            f"{figures.bank:<18} {figures.singles:>6} {figures.chance:>7.0%} "
            f"{figures.longest:>8.0%} {figures.shortest:>9.0%} "
            f"{figures.multiple_correct:>7}/{figures.multiple_options:<4} "
            f"{figures.correct_share:>5.0%}"
        )
        problems += figures.problems()
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
