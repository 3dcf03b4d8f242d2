"""The objects behind tests/fixtures/stored_json_v1.json (also imported by the test)."""

from quiz.domain.grading import (
    ChoiceResponse,
    MatchingResponse,
    OrderingResponse,
    TextResponse,
    TrueFalseResponse,
)
from quiz.domain.session import Mode, SessionPlan

PLANS = [
    SessionPlan(Mode.PRACTICE, seed=7),
    SessionPlan(
        Mode.PRACTICE,
        bank_ids=("ims-core", "ims-cases"),
        topics=("myotomes", "ims-core/safety"),
        tags=("upper-limb",),
        difficulties=(1, 3),
        roots=("C5", "S3"),
        count=12,
        seed=2**31 - 1,
    ),
    SessionPlan(Mode.EXAM, count=40, seed=1, minutes=45),
    SessionPlan(Mode.EXAM, bank_ids=("ims-core",), seed=0, minutes=None),
    SessionPlan(Mode.REVIEW, count=20, seed=123456),
    SessionPlan(Mode.WEAK, topics=("ims-core/model",), difficulties=(2,), seed=99),
    SessionPlan(Mode.MISTAKES, roots=("L4", "L5"), tags=("lumbar", "gluteal"), seed=5),
    SessionPlan(
        Mode.PRACTICE,
        question_keys=("ims-core/c5-myotome", "ims-cases/desk-segment"),
        count=2,
        seed=42,
    ),
]

RESPONSES = [
    ChoiceResponse(frozenset()),
    ChoiceResponse(frozenset({2})),
    ChoiceResponse(frozenset({3, 0, 1})),
    TrueFalseResponse(True),
    TrueFalseResponse(False),
    MatchingResponse(("Deltoid", None, "Näher: ü")),
    MatchingResponse(()),
    OrderingResponse((2, 0, 1, 3)),
    TextResponse(""),
    TextResponse("L4 \u2013 multifidus"),
]
