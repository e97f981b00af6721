"""Field rows for the step panels: a label, the input, its problem and a line of help.

A row's id is derived from the service's field name, so a `ValidationError(field, problem)` from
the service finds the row it concerns ("factors.mitigation.notes" -> row-factors--mitigation--notes).
"""

from __future__ import annotations

from typing import Any

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Checkbox, Input, SelectionList, Static, TextArea

from riskreg.ui.render import plain
from riskreg.ui.widgets.choice import BLANK, Choice
from riskreg.ui.widgets.field_input import FieldInput
from riskreg.ui.widgets.field_text import FieldText

YES_NO = (("Yes", True), ("No", False))

FORM_CSS = """
.row { height: auto; margin-bottom: 0; }
.field-label { width: 22; padding-right: 1; color: $text-muted; }
.field-label.-required { color: $text; }
.field-input { width: 1fr; height: auto; }
.field-input Input, .field-input Choice { width: 1fr; }
.field-input TextArea { height: 4; border: none; padding: 0; background: $boost; }
.field-input Checkbox { border: none; padding: 0; }
.field-input SelectionList { height: auto; max-height: 8; border: none; padding: 0; }
.field-error { color: $text-error; display: none; height: auto; }
.field-error.-on { display: block; }
.field-help { color: $text-muted; text-style: italic; height: auto; }
.row.-invalid .field-label { color: $text-error; }
.step-title { text-style: bold; color: $text-primary; height: auto; }
.guidance { color: $text-muted; height: auto; margin-bottom: 1; }
.reminder { color: $text-warning; height: auto; margin-bottom: 1; }
.subhead { text-style: bold; height: auto; margin-top: 1; }
.panel-problem { color: $text-error; display: none; height: auto; }
.panel-problem.-on { display: block; }
.closed-note { color: $text-warning; height: auto; margin-bottom: 1; display: none; }
.buttons { height: auto; margin-top: 1; }
.buttons Button { margin-right: 2; }
"""


def key(name: str) -> str:
    """A service field name as an id fragment (ids take no dots)."""
    return name.replace(".", "--")


def row(label: str, widget: Widget, name: str, help: str = "", required: bool = False) -> Horizontal:
    """One labelled field with room for its problem and help."""
    parts: list[Widget] = [widget, Static("", classes="field-error", id=f"err-{key(name)}",
                                          markup=False)]
    if help:
        parts.append(Static(help, classes="field-help", markup=False))
    return Horizontal(
        Static(label + (" *" if required else ""), markup=False,
               classes="field-label" + (" -required" if required else "")),
        Vertical(*parts, classes="field-input"),
        classes="row", id=f"row-{key(name)}",
    )


def text_input(name: str, placeholder: str = "", max_length: int = 0) -> Input:
    return FieldInput(id=f"f-{key(name)}", placeholder=placeholder, compact=True, max_length=max_length)


DATE_PLACEHOLDER = "YYYY-MM-DD"
"""The placeholder of every date field (how a panel knows a field holds a date)."""


def date_input(name: str) -> Input:
    return FieldInput(id=f"f-{key(name)}", placeholder=DATE_PLACEHOLDER, compact=True, max_length=10)


def long_input(name: str) -> TextArea:
    return FieldText(id=f"f-{key(name)}", soft_wrap=True, tab_behavior="focus", compact=True,
                    show_line_numbers=False, highlight_cursor_line=False)


def choice(name: str, options: Any, prompt: str = "Choose…", blank: bool = True) -> Choice:
    """The register forms' pick-one field (←/→ steps, enter lists them over the form), so
    that the wizard and the forms choose a value the same way."""
    return Choice(options, id=f"f-{key(name)}", blank=prompt if blank else None)


def yes_no(name: str, prompt: str = "Not answered") -> Choice:
    return Choice(YES_NO, id=f"f-{key(name)}", blank=prompt)


def checkbox(name: str, label: str = "") -> Checkbox:
    return Checkbox(label, id=f"f-{key(name)}", compact=True)


def selection(name: str, options: Any) -> SelectionList:
    return SelectionList(*options, id=f"f-{key(name)}", compact=True)


def get_value(widget: Widget) -> Any:
    """A widget's value in the shape the services take (dates and numbers as typed)."""
    if isinstance(widget, TextArea):
        return widget.text
    if isinstance(widget, Checkbox):
        return widget.value
    if isinstance(widget, SelectionList):
        return list(widget.selected)
    if isinstance(widget, Choice):
        return None if widget.value is BLANK else widget.value
    if isinstance(widget, Input):
        return widget.value
    raise TypeError(widget)


def set_value(widget: Widget, value: Any) -> None:
    if isinstance(widget, TextArea):
        text = plain(value)  # a control character shown escaped, as everywhere
        if widget.text != text:
            widget.load_text(text)
    elif isinstance(widget, Checkbox):
        widget.value = bool(value)
    elif isinstance(widget, SelectionList):
        widget.deselect_all()
        offered = {widget.get_option_at_index(i).value for i in range(widget.option_count)}
        for item in value or ():
            if item in offered:  # an archived hazard is no longer offered
                widget.select(item)
    elif isinstance(widget, Choice):
        offered = any(v == value for _, v in widget.options) and value not in (None, "")
        if offered:
            widget.value = value
        elif widget.allow_blank:
            widget.value = BLANK  # nothing, or a value no longer offered
        else:
            widget.set_options(widget.options, BLANK)  # the first option, as when built
    elif isinstance(widget, Input):
        widget.value = plain(value)
