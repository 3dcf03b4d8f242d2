"""``ims-quiz new-bank``: a commented bank with one question of each type that validates.

The bank's first line names the JSON Schema by a relative path, ``./bank.schema.json``, and
:func:`write_schema_beside` puts the schema there: an absolute path into the installed package
broke as soon as the virtual environment moved, and never worked on another machine.
"""

from __future__ import annotations

import re
from pathlib import Path

from quiz.banks.schema import SCHEMA_NAME, schema_text

MODELINE = f"# yaml-language-server: $schema=./{SCHEMA_NAME}"
"""The first line of a bank: editors running yaml-language-server read the schema it names."""

_TEMPLATE = """\
{modeline}
#
# A question bank for ims-quiz, format 1. The full format, with every diagnostic the
# validator reports, is in docs/authoring.md. Check this file with:
#     ims-quiz validate {filename}
# Text is shown exactly as written: Markdown formatting works in prompts, explanations and
# vignettes; nothing is ever run or read as markup.

format: 1
id: {bank_id}                # lowercase letters and digits joined by single dashes; unique
title: {title}
description: >-
  What this bank covers, in a sentence or two.
version: "0.1"              # your own version string (quote it)
authors: [Your Name]
license: CC-BY-4.0
reviewed: []                # add {{by: "Reviewer", "on": "YYYY-MM-DD"}} after a content review

topics:                     # topic id -> title (or {{title, description}}); mastery is per topic
  myotomes: Myotomes
  safety:
    title: Needling safety
    description: Contraindications and risky regions.

sources:                    # key -> citation (or {{citation, url}}); questions cite keys in refs
  moore-anatomy: >-
    Moore KL, Dalley AF, Agur AMR. Clinically Oriented Anatomy. Wolters Kluwer.
  who1999: >-
    World Health Organization. Guidelines on Basic Training and Safety in Acupuncture.
    Geneva: WHO; 1999.

cases:                      # optional vignettes shared by several questions
  desk-worker:
    title: A desk worker with lateral elbow pain
    vignette: |
      A 45-year-old office worker has had lateral elbow pain for four months. Local
      treatment at the elbow has not helped.

questions:
  - id: c5-myotome          # never rename an id: progress is stored under it
    type: single            # exactly one choice is correct
    topic: myotomes
    difficulty: 1           # 1 recall, 2 application, 3 clinical reasoning
    anatomy: {{roots: [C5], muscles: [deltoid]}}
    prompt: Which movement is the key test of the C5 myotome?
    choices:
      - text: Shoulder abduction
        correct: true
        why: Deltoid, the key C5 muscle, abducts the shoulder.
      - text: Finger abduction
        why: Finger abduction tests T1.
      - text: Elbow extension
        why: Elbow extension (triceps) tests C7.
    explanation: |
      Each myotome has a key movement; C5 is shoulder abduction (deltoid).
    refs: [moore-anatomy]

  - id: sharps-handling
    type: multiple          # select all that apply; partial credit
    topic: safety
    difficulty: 1
    prompt: Which steps belong to clean needle technique? Select all that apply.
    choices:
      - text: Use each sterile needle once
        correct: true
        why: Single use prevents cross-infection.
      - text: Discard used needles straight into a sharps container
        correct: true
        why: Immediate disposal prevents needlestick injuries.
      - text: Recap the needle before disposal
        unsafe: true        # an option that would harm someone
        why: Recapping causes needlestick injuries; never recap.
    explanation: |
      Sterile single-use needles, discarded at once into a sharps container, never recapped.
    refs: [who1999]

  - id: multiple-roots
    type: true_false
    topic: myotomes
    difficulty: 1
    prompt: Most limb muscles receive fibres from more than one spinal root.
    answer: true
    why_true: Most muscles take two or three roots.
    why_false: It is true; that is why a single-root lesion weakens rather than paralyses.
    explanation: |
      Multisegmental supply explains why one root lesion causes weakness, not paralysis.
    refs: [moore-anatomy]

  - id: myotome-match
    type: matching          # each [left, right]; distractors are extra right-hand items
    topic: myotomes
    difficulty: 2
    prompt: Match each root to its key movement.
    pairs:
      - [C5, Shoulder abduction]
      - [C7, Elbow extension]
      - [T1, Finger abduction]
    distractors: [Hip adduction]
    explanation: |
      Key movements: C5 shoulder abduction, C7 elbow extension, T1 finger abduction.
    refs: [moore-anatomy]

  - id: sharps-order
    type: ordering          # items in the correct order; shown shuffled
    topic: safety
    difficulty: 2
    prompt: Put the end of a needling procedure in order.
    items:
      - Withdraw the needle
      - Drop it straight into the sharps container
      - Record the treatment
    explanation: |
      The needle goes from the patient straight into the sharps container, never recapped.
    refs: [who1999]

  - id: elbow-extensor-root
    type: short             # typed answer; case, spacing and punctuation are ignored
    topic: myotomes
    difficulty: 2
    case: desk-worker
    anatomy: {{roots: [C7]}}
    prompt: Which root is the key root for elbow extension? (e.g. C5)
    answers: [C7]
    patterns: ['^c\\s*7$']   # optional regular expressions (RE2 syntax)
    explanation: |
      Elbow extension (triceps) is the key movement of C7.
    refs: [moore-anatomy]
"""


def bank_id_for(path: Path) -> str:
    """A valid bank id from a file name: ``My Bank.yaml`` -> ``my-bank``."""
    slug = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-")
    return slug or "my-bank"


def scaffold(path: Path) -> str:
    """The scaffold text for a new bank at ``path``."""
    bank_id = bank_id_for(path)
    return _TEMPLATE.format(
        modeline=MODELINE,
        filename=path.name,
        bank_id=bank_id,
        title=bank_id.replace("-", " ").capitalize(),
    )


def write_schema_beside(bank: Path) -> Path | None:
    """Write ``bank.schema.json`` into ``bank``'s folder unless it is there and current.

    Returns the path written, or None when the file already held this version's schema. A schema
    from another version of ims-quiz is replaced, so the editor checks against the format that
    ``ims-quiz validate`` applies.

    Raises:
        OSError: The file cannot be read or written.
    """
    target = bank.parent / SCHEMA_NAME
    text = schema_text()
    try:
        if target.read_text(encoding="utf-8") == text:
            return None
    except FileNotFoundError:
        pass
    except UnicodeDecodeError:
        pass  # not ours, or damaged: replaced
    target.write_text(text, encoding="utf-8")
    return target
