"""Keys typed fast keep their order (finding 15 of the new-user run).

Textual gives every key to the focused widget in turn, but a key that the field handles by one of
its own bindings (End, Backspace, Left, ctrl+u in an `Input`; the arrows in a `TextArea`) is not
run there: it bubbles up through every container to the app, which only then runs the binding.
Letters typed in the same burst are given to the field meanwhile, so `End ' y'` types " y" before
the cursor moves (replacing a selected title), and `abc BSpace d` deletes the "d".

`queue_own_binding` queues such a key on the field itself, behind the letters already given to
it, and runs the field's binding there: the order the user typed. A key no binding of the field
takes, a printable key, or a key a priority binding anywhere takes goes the usual way.

Away from a text field the same bubbling reorders keys across a change of focus: in a table,
`/lap` typed in one burst gave "l", "a" and "p" to the table before "/" reached the app and moved
to the filter, so they ran the table's keys (link, archive) instead of filtering.
`run_binding_on_arrival` runs a binding when its key arrives, in the order typed, wherever
nothing between the focused widget and its screen handles keys itself (so nothing could have
taken the key before the binding); actions that move the focus do so at once
(`Screen.set_focus`), so the keys behind them go to the new field.
"""

from __future__ import annotations

import sys
from functools import cache
from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    from textual import events
    from textual.app import App


# The text fields, by the module that defines each. Not imported here: the app loads this module
# before its first frame, which TextArea's import would slow, and no field of a class not yet
# loaded can have the focus.
_TEXT_FIELDS = (("textual.widgets._input", "Input"), ("textual.widgets._text_area", "TextArea"))


def _is_text_field(widget: Widget | None) -> bool:
    for module_name, class_name in _TEXT_FIELDS:
        module = sys.modules.get(module_name)
        if module is not None and isinstance(widget, getattr(module, class_name)):
            return True
    return False


def _own_bindings(widget: Widget, key: str) -> list:
    return [b for b in widget._bindings.key_to_bindings.get(key, ()) if not b.priority]


def _priority_takes(app: App, key: str) -> bool:
    return any(
        binding.priority
        for _, bindings in app.screen._binding_chain
        for binding in bindings.key_to_bindings.get(key, ())
    )


def queue_own_binding(app: App, event: events.Key) -> bool:
    """Queue `event` on the focused text field if one of its own bindings takes it (True), or
    leave it to Textual (False)."""
    field = app.focused
    if field is None or not _is_text_field(field) or event.is_printable:
        return False
    if not _own_bindings(field, event.key) or _priority_takes(app, event.key):
        return False
    field.call_later(_run_own_binding, app, field, event)
    return True


async def _run_own_binding(app: App, field: Widget, event: events.Key) -> None:
    """Run the field's binding for the key, as Textual would have once the key reached the app;
    if none of them runs (an action the field disables now), the key goes the usual way."""
    if field.is_attached:
        for binding in _own_bindings(field, event.key):
            if await app.run_action(binding.action, field):
                return
    (app.focused or app.screen)._forward_event(event)


@cache
def _takes_keys_itself(cls: type) -> bool:
    """The class handles a key before its bindings see it (an `on_key`, `_on_key` or `key_*`)."""
    return (
        cls._on_key is not Widget._on_key
        or cls.handle_key is not Widget.handle_key
        or hasattr(cls, "on_key")
        or any(name.startswith("key_") for name in dir(cls))
    )


async def run_binding_on_arrival(app: App, event: events.Key) -> bool:
    """Run the binding that takes `event` now, if no widget from the focused one up to its
    screen would see the key first (True: a binding ran)."""
    screen = app.screen
    if app.focused is None or screen.maximized is not None or _priority_takes(app, event.key):
        return False  # (a priority binding runs first in any case: Textual's own path)
    node: Widget | None = app.focused
    while node is not None:
        if _takes_keys_itself(type(node)):
            return False
        if node is screen:
            break
        node = node.parent if isinstance(node.parent, Widget) else None
    # The same check Textual makes once the key has bubbled up to the app (App._on_key).
    return await app._check_bindings(event.key)
