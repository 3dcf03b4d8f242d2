"""What kind of scalar each place in a bank expects, derived from the model's field types.

YAML 1.1 decides the type of a plain scalar by its spelling alone: ``no`` is false and ``1.10``
is the number 1.1, wherever they are written. Authors (and the editor's language server, which
reads YAML 1.2) mean otherwise: in a text field ``why: no`` is the text "no". The YAML reader
therefore asks the model, through a :class:`Shape`, what each value should be:

* a text field keeps a plain scalar as the text written (only ``null``, ``~`` and nothing at all
  stay "no value", as in YAML 1.2);
* a true/false field reads true/false and yes/no (in any of YAML's capitalisations);
* a number field reads numbers;
* anything the model does not describe (an unknown key) is read as YAML 1.1 reads it.

Shapes are built once per model class, at import.
"""

from __future__ import annotations

import typing
from enum import Enum
from typing import Any, Final

import msgspec

from quiz.domain.model import QUESTION_CLASSES, Bank


class Scalar(Enum):
    """How a plain scalar is read in one place of a bank."""

    ANY = "any"
    """As YAML 1.1 reads it (only where the model says nothing)."""
    TEXT = "text"
    BOOL = "bool"
    NUMBER = "number"


class Shape:
    """The expected kinds below one place of a bank.

    ``scalar`` says how a plain scalar found here is read; ``fields`` gives the shape of each
    known key when a mapping here is a Struct; ``values`` the shape of every value when it is a
    free mapping (``topics``, ``sources``); ``items`` the shape of each item of a list here.
    """

    __slots__ = ("scalar", "fields", "values", "items")

    def __init__(self, scalar: Scalar) -> None:
        self.scalar = scalar
        self.fields: dict[str, Shape] | None = None
        self.values: Shape = self
        self.items: Shape = self

    def child(self, key: str) -> Shape:
        """The shape of the value under ``key`` in a mapping of this shape."""
        if self.fields is None:
            return self.values
        return self.fields.get(key, ANY)


ANY: Final = Shape(Scalar.ANY)
"""The shape of anything the model does not describe: YAML 1.1 all the way down."""


def _strip(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


_UnionType = type(int | str)


def _scalar_kind(annotation: Any) -> Scalar:
    if annotation is bool:
        return Scalar.BOOL
    if annotation is int or annotation is float:
        return Scalar.NUMBER
    if typing.get_origin(annotation) is typing.Literal:
        values = typing.get_args(annotation)
        if all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
            return Scalar.NUMBER
        if all(isinstance(v, bool) for v in values):
            return Scalar.BOOL
        return Scalar.TEXT
    return Scalar.TEXT


def _merge(shapes: list[Shape]) -> Shape:
    """One shape for a union: the scalar member's kind for scalars, every member's structure.

    Where a list or a mapping is expected and a scalar is written, it is read as YAML 1.1
    reads it (:attr:`Scalar.ANY`), so that the error can say "got a number"."""
    scalars = [s.scalar for s in shapes if s.fields is None and s.items is s]
    merged = Shape(scalars[0] if scalars else shapes[0].scalar)
    for shape in shapes:
        if shape.fields is not None:
            merged.fields = {**(merged.fields or {}), **shape.fields}
        if shape.items is not shape:
            merged.items = shape.items
        if shape.values is not shape:
            merged.values = shape.values
    return merged


def _shape_of(annotation: Any, structs: dict[type, Shape]) -> Shape:
    annotation = _strip(annotation)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return _struct_shape(annotation, structs)
    if origin is list or origin is tuple:
        shape = Shape(Scalar.ANY)
        items = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        shape.items = _merge([_shape_of(a, structs) for a in items]) if items else ANY
        return shape
    if origin is dict:
        shape = Shape(Scalar.ANY)
        shape.values = _shape_of(typing.get_args(annotation)[1], structs)
        return shape
    if origin is typing.Union or origin is _UnionType:
        members = [m for m in typing.get_args(annotation) if m is not type(None)]
        return _merge([_shape_of(m, structs) for m in members])
    return Shape(_scalar_kind(annotation))


def _struct_shape(cls: type[msgspec.Struct], structs: dict[type, Shape]) -> Shape:
    known = structs.get(cls)
    if known is not None:
        return known
    shape = Shape(Scalar.ANY)
    shape.fields = {}
    structs[cls] = shape  # before the fields: a model that refers to itself stays finite
    for field in msgspec.structs.fields(cls):
        shape.fields[field.name] = _shape_of(field.type, structs)
    tag_field = cls.__struct_config__.tag_field
    if tag_field:
        shape.fields[tag_field] = Shape(Scalar.TEXT)
    return shape


def _bank_shape() -> Shape:
    structs: dict[type, Shape] = {}
    bank = _struct_shape(Bank, structs)
    assert bank.fields is not None
    # Questions: every type's fields at once. The six types never give one field name two
    # different types, so the question's own `type` need not be read first.
    questions = _merge([_struct_shape(cls, structs) for cls in QUESTION_CLASSES.values()])
    for cls in QUESTION_CLASSES.values():
        for field in msgspec.structs.fields(cls):
            assert questions.fields is not None
            assert questions.fields[field.name].scalar is _shape_of(field.type, {}).scalar, field
    listing = Shape(Scalar.ANY)
    listing.items = questions
    bank.fields["questions"] = listing
    return bank


BANK: Final = _bank_shape()
"""The shape of a whole bank file."""
