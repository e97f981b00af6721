"""Characters a terminal obeys instead of showing: refused in what the user types or imports,
escaped in everything printed from the register.

ESC starts a sequence that can set the terminal window's title or clear the screen, a C1
control (U+0080-U+009F) does the same in one character, NUL and the other C0 controls move the
cursor or are dropped, and the bidirectional overrides and isolates (U+202A-U+202E,
U+2066-U+2069) reorder what is shown after them, so a title can appear to say something it does
not. A register may still hold them (written by an older version, or by editing the file), so
output escapes them whatever input allowed.
"""

import re

REORDERING = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
"""The bidirectional embeddings, overrides and isolates: they reorder the text shown after them."""

MULTI_LINE = "\n\t"
"""What a multi-line field (a description, notes) may hold and a one-line field may not."""

_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{REORDERING}]")


def refused_character(text: str, multi_line: bool = False) -> str | None:
    """The first character of `text` a field refuses, or None: any control character, line
    separator or reordering character, but new lines and tabs in a multi-line field."""
    for found in _UNSAFE.finditer(text):
        if not (multi_line and found.group() in MULTI_LINE):
            return found.group()
    return None


def code_point(char: str) -> str:
    """How a message names a character: U+001B."""
    return f"U+{ord(char):04X}"


def escaped(text: str, keep_lines: bool = False) -> str:
    """`text` safe to print: each control or reordering character as a visible escape (ESC as
    \\x1b, U+202E as \\u202e, a new line as \\n). With `keep_lines`, new lines and tabs stay
    (a description shown in full)."""

    def visible(found: re.Match[str]) -> str:
        char = found.group()
        if keep_lines and char in MULTI_LINE:
            return char
        return char.encode("unicode_escape").decode("ascii")

    return _UNSAFE.sub(visible, text)


# What json.dumps(ensure_ascii=False) leaves raw: it escapes only U+0000-U+001F.
_RAW_IN_JSON = re.compile(f"[\x7f-\x9f\u2028\u2029{REORDERING}]")


def json_escaped(document: str) -> str:
    """JSON text safe to print: each control or reordering character json.dumps left raw (DEL,
    C1, U+2028, U+202E) written as a \\uXXXX escape. Only strings can hold them, so the
    document reads back the same."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def plural(n: int, word: str, words: str | None = None) -> str:
    """"1 incident", "3 incidents", "1,200 people" (with `words` for an irregular plural): every
    count said to a person agrees with its noun."""
    return f"{n:,} {word if n == 1 else (words or word + 's')}"
