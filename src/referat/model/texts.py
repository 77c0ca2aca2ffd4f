"""Every text of a model, found by walking its pydantic fields: what the public filter and the privacy checks read.

A string field is text unless its type is marked `NotText` (file names, clock times, committee ids): the title,
the place, a guest's name, the next meeting's place, a task, a bilag's title, and any field added later. Paths are
the YAML keys (the fields' aliases) and list indexes, as the loader's `SourceMap` records them, so a message about
a text points at its file, line and column.
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Iterator
from enum import Enum
from typing import Any, TypeVar

from pydantic.fields import FieldInfo

from .base import Model, NotText
from .item import Item
from .meeting import Meeting
from .source import PathKey, SourceMap

__all__ = ["ONLY_WHEN_CLOSED", "PUBLIC_WHEN_CLOSED", "M", "all_texts", "is_text_field", "printed_texts", "text_fields",
           "with_texts", "withheld_texts"]

M = TypeVar("M", bound=Model)

PUBLIC_WHEN_CLOSED = frozenset({"title", "access", "type", "closed_reason", "public_decision", "group"})
"""The fields of a closed item (by field name) that its public edition prints; every other text of a closed item is
left out of the public edition: the closure rule. (`group` is the heading the item stands under, hierarchical
numbering: the agenda's structure, printed whether the item is open or closed.)"""
ONLY_WHEN_CLOSED = frozenset({"closed_reason", "public_decision"})
"""The fields printed only for a closed item (on an open one they are a warning, and not printed)."""


def _marked(annotation: Any) -> bool:
    """Whether a type (or any type inside it: `X | None`, `list[X]`) carries the `NotText` mark."""
    if typing.get_origin(annotation) is typing.Annotated and any(
            isinstance(extra, NotText) for extra in annotation.__metadata__):
        return True
    return any(_marked(arg) for arg in typing.get_args(annotation))


def is_text_field(info: FieldInfo) -> bool:
    """A field whose strings are text (not data such as a file name): the default for every field."""
    return not (any(isinstance(extra, NotText) for extra in info.metadata) or _marked(info.annotation))


@functools.cache
def _text_fields_of(cls: type[Model]) -> tuple[tuple[str, str], ...]:
    """(field name, YAML key) of the text fields of a model class: read from its annotations once per class (the
    walk below asks for every model it meets, 90,000 times for a 500-item meeting)."""
    return tuple((name, info.alias or name) for name, info in cls.model_fields.items() if is_text_field(info))


def _is_text(value: object) -> bool:
    return isinstance(value, str) and not isinstance(value, Enum)


def text_fields(model: Model, path: PathKey = (), fields: Callable[[str], bool] | None = None
                ) -> Iterator[tuple[PathKey, str]]:
    """(path, text) of every text in `model` and the models inside it, in field order; `fields`: which of the
    model's own fields (by name) to read (default: all)."""
    for name, key in _text_fields_of(type(model)):
        if fields is not None and not fields(name):
            continue
        yield from _texts_in(getattr(model, name), path + (key,))


def all_texts(meeting: Meeting) -> Iterator[tuple[SourceMap, PathKey, str]]:
    """(source map, path, text) of every text of the meeting and its items, public or not: møde.yaml's first."""
    for path, text in text_fields(meeting):
        yield meeting.source, path, text
    for item in meeting.items:
        for path, text in text_fields(item):
            yield item.source, path, text


def printed_texts(item: Item) -> Iterator[tuple[PathKey, str]]:
    """The texts of an item that its public edition prints (redaction spans still in them): of a closed item its
    title, reason and public decision; of an open item every text but those two."""
    if item.closed:
        return text_fields(item, fields=lambda name: name in PUBLIC_WHEN_CLOSED)
    return text_fields(item, fields=lambda name: name not in ONLY_WHEN_CLOSED)


def withheld_texts(item: Item) -> Iterator[tuple[PathKey, str]]:
    """The texts of an item that its public edition leaves out entirely: every text of a closed item but its title,
    reason and public decision (sections, presenters, bilag titles, tasks, …); none of an open item."""
    if not item.closed:
        return iter(())
    return text_fields(item, fields=lambda name: name not in PUBLIC_WHEN_CLOSED)


def _texts_in(value: object, path: PathKey) -> Iterator[tuple[PathKey, str]]:
    if _is_text(value):
        assert isinstance(value, str)
        yield path, value
    elif isinstance(value, Model):
        yield from text_fields(value, path)
    elif isinstance(value, (list, tuple)):
        for i, entry in enumerate(value):
            yield from _texts_in(entry, path + (i,))
    elif isinstance(value, dict):
        for k, entry in value.items():
            yield from _texts_in(entry, path + (str(k),))


def with_texts(model: M, change: Callable[[str], str]) -> M:
    """A copy of `model` in which every text is `change(text)`; everything else (data fields, the private
    attributes: where it was read, an item's number and file, a bilag's path) is kept. Nothing is validated again,
    so a changed text need not meet its field's constraints."""
    update: dict[str, Any] = {}
    for name, _ in _text_fields_of(type(model)):
        value = getattr(model, name)
        new = _changed(value, change)
        if new is not value:
            update[name] = new
    return model.model_copy(update=update) if update else model.model_copy()


def _changed(value: Any, change: Callable[[str], str]) -> Any:
    """`value` with every text in it changed (the same object when nothing in it is text)."""
    if _is_text(value):
        return change(value)
    if isinstance(value, Model):
        return with_texts(value, change)
    if isinstance(value, list):
        return [_changed(v, change) for v in value]
    if isinstance(value, tuple):
        return tuple(_changed(v, change) for v in value)
    if isinstance(value, dict):
        return {k: _changed(v, change) for k, v in value.items()}
    return value
