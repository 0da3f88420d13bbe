"""PO files: a strict reader that refuses what GNU msgfmt refuses, at its line; a polib writer.

Babel and polib read PO files leniently: an unclosed quote, a duplicate entry, a bad escape or a
keyword without its msgstr is skipped without a word, and the translation is silently lost. GNU
msgfmt, which Poedit runs on every save and Weblate's checks follow, refuses such a file. So the
reader here lexes a file the way msgfmt does (gettext's po-lex.c and po-gram.y: keywords, quoted
strings with C escapes, `#|` previous strings, `#~` obsolete entries) and reports each fatal error
as `path:line:column: error: ...`, with the messages msgfmt itself prints. It yields plain
entries, so a catalog is parsed once and shared by every check and by localisation. Writing goes
through polib, which quotes every line of a multi-line previous msgid (Babel re-wraps `#| msgid`
in the middle of a string, which msgfmt refuses).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path

from .problems import Location, Report

PLURAL_FORMS = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*([^;]+);?\s*$")
_KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr|domain)\b(?:\s*\[\s*(\d+)\s*\])?")
# String bodies as an unrolled loop (a run of plain characters, then escapes each followed by
# another run): the strings of (?:[^"\\]|\\.)*, matched several times faster.
_STRING_LINE = re.compile(r'^[ \t]*"([^"\\\n]*(?:\\.[^"\\\n]*)*)"[ \t]*$')
# The common keyword line, 'msgid "..."': lexed in one match (anything else goes through _lex).
_KEYWORD_LINE = re.compile(
    r"^(?:(msgctxt|msgid_plural|msgid)|msgstr(?:\[(\d+)\])?)([ \t]+)"
    r'"([^"\\]*(?:\\.[^"\\]*)*)"[ \t]*$'
)
_STRING_BODY = re.compile(r'"([^"\\]*(?:\\.[^"\\]*)*)(")?')
_ESCAPE = re.compile(r"\\(?:([0-7]{1,3})|x([0-9A-Fa-f]+)|(.)|$)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ESCAPES.update({'"': '"', "\\": "\\"})
# Header fields msgfmt --check-header wants, and the placeholder values it warns about.
REQUIRED_HEADER = (
    "Project-Id-Version",
    "PO-Revision-Date",
    "Last-Translator",
    "Language-Team",
    "MIME-Version",
    "Content-Type",
    "Content-Transfer-Encoding",
)
_DEFAULT_VALUES = {
    "Project-Id-Version": "PACKAGE VERSION",
    "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
    "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
    "Language-Team": "LANGUAGE <LL@li.org>",
}


@dataclass
class Message:
    """One PO entry, as plain data."""

    id: str
    string: str = ""
    context: str | None = None
    plural_id: str | None = None
    plural_strings: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    translator_comments: list[str] = field(default_factory=list)
    auto_comments: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    previous_context: str | None = None
    previous_id: str | None = None
    obsolete: bool = False
    line: int = 0  # line of the msgid keyword

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.id)

    @property
    def translated(self) -> bool:
        """True when every form has a translation."""
        if self.plural_id is not None:
            return bool(self.plural_strings) and all(self.plural_strings)
        return bool(self.string)


@dataclass
class PoFile:
    """A parsed PO file: header, header comment, entries in file order, obsolete entries."""

    header: dict[str, str] = field(default_factory=dict)
    header_comment: list[str] = field(default_factory=list)  # the '# ...' lines above it
    header_text: str = ""  # the header entry's msgstr as written
    messages: list[Message] = field(default_factory=list)
    obsolete: list[Message] = field(default_factory=list)
    header_line: int = 0

    def nplurals(self) -> int | None:
        """Return the number of plural forms the header declares, or None."""
        match = PLURAL_FORMS.match(self.header.get("Plural-Forms", ""))
        return int(match.group(1)) if match else None


_MESSAGE_FIELDS = attrgetter(*(f.name for f in fields(Message)))
_READ_FIELDS = attrgetter("id", "string", "context", "plural_id", "plural_strings", "flags", "line")


def pack(catalog: PoFile, notes: bool = True) -> tuple:
    """Return a parsed catalog as plain tuples, which pickle several times faster than the
    dataclasses. Without notes, what only a translator or a merge reads is left out (comments,
    references, the previous msgid, obsolete entries): a third of a guide catalog's size."""
    if notes:
        messages = [_MESSAGE_FIELDS(m) for m in catalog.messages]
        obsolete = [_MESSAGE_FIELDS(m) for m in catalog.obsolete]
    else:
        messages = [_READ_FIELDS(m) for m in catalog.messages]
        obsolete = []
    header = (catalog.header, catalog.header_comment, catalog.header_text, catalog.header_line)
    return (notes, header, messages, obsolete)


def unpack(packed: tuple) -> PoFile:
    """Return the catalog pack() was given (without notes: with none)."""
    notes, (header, comment, text, line), messages, obsolete = packed
    if notes:
        return PoFile(
            header,
            comment,
            text,
            [Message(*m) for m in messages],
            [Message(*m) for m in obsolete],
            line,
        )
    read = [
        Message(id, string, context, plural_id, plural_strings, flags, line=at)
        for id, string, context, plural_id, plural_strings, flags, at in messages
    ]
    return PoFile(header, comment, text, read, [], line)


class _Fatal(Exception):
    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.line, self.column, self.message = line, column, message


@dataclass(slots=True)
class _Token:
    kind: str  # keyword, string, comment
    value: str
    line: int
    column: int
    index: int | None = None  # msgstr[N]
    obsolete: bool = False
    previous: bool = False


def read_po(path: Path, report: Report) -> PoFile | None:
    """Parse a PO file strictly; report each msgfmt-fatal problem, and return None if any."""
    from .yamlsafe import read_text

    text = read_text(path, report)
    if text is None:
        return None
    return parse_po(text, report.relative(path), report)


def parse_po(text: str, name: str, report: Report) -> PoFile | None:
    """Parse PO text (see read_po); name is the path used in messages."""
    errors: list[_Fatal] = []
    tokens = _tokens(text, errors)
    result = _Parser(tokens, errors).parse()
    _check_semantics(result, errors)
    for error in sorted(errors, key=lambda e: (e.line, e.column)):
        report.error(
            Location(name, error.line, error.column or 1),
            f"malformed PO file: {error.message}",
            "open it in Poedit, or run 'msgfmt --check' on it, to see and mend the problem",
        )
    if errors:
        return None
    _check_header(result, name, report)
    return result


def _lines(text: str):
    """Yield (number, line); a backslash at the end of a line joins the next one, as in msgfmt."""
    lines = text.split("\n")
    if "\\\n" not in text:  # nearly always: no line is joined to the next
        yield from enumerate(lines, 1)
        return
    pending, start = "", 0
    for number, raw in enumerate(lines, 1):
        if not pending:
            start = number
        if raw.endswith("\\") and number < len(lines):  # a newline follows: they join
            pending += raw[:-1]
            continue
        yield start, pending + raw
        pending = ""
    if pending:
        yield start, pending


def _tokens(text: str, errors: list[_Fatal]) -> list[_Token]:
    tokens: list[_Token] = []
    for number, raw in _lines(text):
        line = raw.rstrip("\r")
        stripped = line.lstrip(" \t\f")
        if not stripped:
            continue
        if stripped.startswith("#"):
            marker = stripped[1:2]
            if marker == "~":
                rest = stripped[2:]
                previous = rest.startswith("|")
                rest = rest[1:] if previous else rest
                offset = len(line) - len(rest)
                _lex(rest, number, offset, tokens, errors, obsolete=True, previous=previous)
            elif marker == "|":
                rest = stripped[2:]
                _lex(rest, number, len(line) - len(rest), tokens, errors, previous=True)
            else:
                tokens.append(_Token("comment", stripped, number, 1))
            continue
        match = _STRING_LINE.match(line)
        if match:  # the common case: a continuation string on its own line
            value = _unescape(match.group(1), number, line.index('"') + 2, errors)
            tokens.append(_Token("string", value, number, line.index('"') + 1))
            continue
        match = _KEYWORD_LINE.match(line)
        if match:  # the other common case: a keyword and its first string
            word, index = match.group(1) or "msgstr", match.group(2)
            tokens.append(_Token("keyword", word, number, 1, None if index is None else int(index)))
            quote = match.start(4)  # the string's body starts after its quote
            value = _unescape(match.group(4), number, quote + 1, errors)
            tokens.append(_Token("string", value, number, quote))
            continue
        _lex(line, number, 0, tokens, errors)
    return tokens


def _lex(
    text: str,
    number: int,
    offset: int,
    tokens: list[_Token],
    errors: list[_Fatal],
    obsolete: bool = False,
    previous: bool = False,
) -> None:
    """Split one line into keyword and string tokens (msgfmt's lexer, for one line)."""
    position = 0
    while position < len(text):
        char = text[position]
        if char in " \t\f\r":
            position += 1
            continue
        column = offset + position + 1
        if char == "#":  # msgfmt reads '#~' and '#|' anywhere; other '#' start a comment
            marker = text[position + 1 : position + 2]
            if marker in ("~", "|"):
                obsolete, previous = obsolete or marker == "~", previous or marker == "|"
                position += 2
                continue
            if previous:  # a comment inside a '#|' line
                errors.append(_Fatal(number, column, "syntax error"))
                return
            tokens.append(_Token("comment", text[position:], number, column, None, obsolete))
            return
        if char == '"':
            string = _STRING_BODY.match(text, position)
            assert string is not None  # the pattern matches any text that starts with '"'
            if string.group(2) is None:  # like msgfmt: report it, take the string up to the end
                errors.append(_Fatal(number, column, "end-of-line within string"))
                tokens.append(_Token("string", text[position + 1 :], number, column))
                return
            value = _unescape(string.group(1), number, column + 1, errors)
            tokens.append(_Token("string", value, number, column, None, obsolete, previous))
            position = string.end()
            continue
        match = _KEYWORD.match(text, position)
        word = re.match(r"[^\s\"#]+", text[position:])
        if match is None or (
            word and len(word.group(0)) > len(match.group(1)) and "[" not in word.group(0)
        ):
            found = word.group(0) if word else char
            errors.append(_Fatal(number, 0, f'keyword "{found}" unknown'))
            return
        index = int(match.group(2)) if match.group(2) is not None else None
        if index is not None and match.group(1) != "msgstr":
            errors.append(_Fatal(number, column, "syntax error"))  # only msgstr has an index
            return
        tokens.append(_Token("keyword", match.group(1), number, column, index, obsolete, previous))
        position = match.end()


def _unescape(body: str, number: int, column: int, errors: list[_Fatal]) -> str:
    if "\\" not in body:
        return body

    def escape(match: re.Match) -> str:
        octal, hexadecimal, code = match.groups()
        if octal is not None:
            return chr(int(octal, 8))
        if hexadecimal is not None:
            return chr(int(hexadecimal, 16) & 0xFF)
        if code in _ESCAPES:
            return _ESCAPES[code]
        errors.append(_Fatal(number, column + match.start(), "invalid control sequence"))
        return ""

    return _ESCAPE.sub(escape, body)


class _Parser:
    """msgfmt's grammar: [msgctxt] msgid (msgstr | msgid_plural msgstr[0..n-1]), comments first."""

    def __init__(self, tokens: list[_Token], errors: list[_Fatal]) -> None:
        self.tokens, self.errors = tokens, errors
        self.result = PoFile()
        self.seen: dict[tuple[str | None, str], int] = {}
        self._reset()

    def _reset(self) -> None:
        self.waiting: _Token | None = None  # a keyword still waiting for its first string
        self.comments: list[str] = []
        self.previous: dict[str, str] = {}
        self.entry: dict = {}
        self.current: str | None = None  # the keyword the next strings continue
        self.obsolete = False

    def parse(self) -> PoFile:
        for token in self.tokens:
            try:
                self._feed(token)
            except _Fatal as error:
                self.errors.append(error)
                self._reset()
        if self.waiting is not None:
            self.errors.append(_Fatal(self.waiting.line, self.waiting.column, "syntax error"))
        elif self.entry or self.previous:
            try:
                self._finish(self.tokens[-1].line if self.tokens else 1)
            except _Fatal as error:
                self.errors.append(error)
        return self.result

    def _feed(self, token: _Token) -> None:
        if self.waiting is not None and token.kind != "string":
            self.waiting = None
            raise _Fatal(token.line, token.column, "syntax error")
        if token.kind == "comment":
            self.previous.pop("current", None)  # a comment ends a previous (#|) string
            if self.previous and not self.entry:  # comments go before the '#|' lines
                raise _Fatal(token.line, token.column, "syntax error")
            if "msgstr" in self.entry or "msgstr[]" in self.entry:
                self._finish(token.line)
            elif self.entry:
                raise _Fatal(token.line, 0, "missing 'msgstr' section")
            self.comments.append(token.value)
            return
        if token.previous:
            self._feed_previous(token)
            return
        if token.kind == "string":
            if self.current is None:
                raise _Fatal(token.line, token.column, "syntax error")
            if token.obsolete != self.obsolete:
                raise _Fatal(token.line, 0, "inconsistent use of #~")
            self.waiting = None
            self._append(token.value)
            return
        self._keyword(token)
        if self.current is not None:
            self.waiting = token

    def _feed_previous(self, token: _Token) -> None:
        if token.kind == "string":
            if not self.previous.get("current"):
                raise _Fatal(token.line, token.column, "syntax error")
            name = self.previous["current"]
            self.previous[name] = self.previous.get(name, "") + token.value
            return
        if "msgstr" in self.entry or "msgstr[]" in self.entry:
            self._finish(token.line)
        if token.value not in ("msgctxt", "msgid", "msgid_plural") or token.index is not None:
            raise _Fatal(token.line, token.column, "syntax error")
        order = ("msgctxt", "msgid", "msgid_plural")
        later = order[order.index(token.value) :]
        if any(word in self.previous for word in later):  # twice, or out of order
            raise _Fatal(token.line, token.column, "syntax error")
        if token.value == "msgid_plural" and "msgid" not in self.previous:
            raise _Fatal(token.line, token.column, "syntax error")
        self.previous["current"] = token.value
        self.previous[token.value] = ""

    def _keyword(self, token: _Token) -> None:
        self.previous.pop("current", None)  # '#|' strings may not follow the entry's keywords
        word, entry = token.value, self.entry
        has_msgstr = "msgstr" in entry or "msgstr[]" in entry
        if word in ("msgctxt", "domain") or (word == "msgid" and has_msgstr):
            if has_msgstr:
                self._finish(token.line)
                entry = self.entry
            elif entry:
                raise _Fatal(token.line, token.column, "syntax error")
            if word == "domain":
                self.current = None
                return
        if entry and token.obsolete != self.obsolete:
            raise _Fatal(token.line, 0, "inconsistent use of #~")
        if not entry:
            self.obsolete = token.obsolete
        if word == "msgid":
            if "msgid" in entry:
                raise _Fatal(token.line, 0, "missing 'msgstr' section")
            entry["line"] = token.line
        elif word == "msgid_plural":
            if "msgid" not in entry or "msgid_plural" in entry or has_msgstr:
                raise _Fatal(token.line, token.column, "syntax error")
        elif word == "msgstr" and token.index is None:
            if "msgid" not in entry or "msgid_plural" in entry or has_msgstr:
                raise _Fatal(token.line, token.column, "syntax error")
        elif word == "msgstr":
            self._plural_form(token)
            return
        entry[word] = ""
        self.current = word

    def _plural_form(self, token: _Token) -> None:
        entry = self.entry
        if "msgid" not in entry or "msgstr" in entry:
            raise _Fatal(token.line, token.column, "syntax error")
        if "msgid_plural" not in entry:
            raise _Fatal(token.line, 0, "missing 'msgid_plural' section")
        forms = entry.setdefault("msgstr[]", [])
        if token.index != len(forms):
            message = (
                "first plural form has nonzero index"
                if not forms
                else "plural form has wrong index"
            )
            raise _Fatal(token.line, 0, message)
        forms.append("")
        self.current = "msgstr[]"

    def _append(self, value: str) -> None:
        if self.current == "msgstr[]":
            self.entry["msgstr[]"][-1] += value
        else:
            self.entry[self.current] += value

    def _finish(self, line: int) -> None:
        entry = self.entry
        if entry and "msgstr" not in entry and "msgstr[]" not in entry:
            if "msgid_plural" in entry:
                raise _Fatal(line, 0, "missing 'msgstr[]' section")
            raise _Fatal(line, 0, "missing 'msgstr' section")
        if entry:
            self._store(entry)
        comments = self.comments
        self._reset()
        if not entry:
            self.comments = comments

    def _store(self, entry: dict) -> None:
        message = Message(
            id=entry["msgid"],
            string=entry.get("msgstr", ""),
            context=entry.get("msgctxt"),
            plural_id=entry.get("msgid_plural"),
            plural_strings=entry.get("msgstr[]", []),
            previous_context=self.previous.get("msgctxt"),
            previous_id=self.previous.get("msgid"),
            obsolete=self.obsolete,
            line=entry["line"],
        )
        for comment in self.comments:
            _add_comment(message, comment)
        key = message.key
        if key in self.seen:
            self.errors.append(_Fatal(message.line, 0, "duplicate message definition"))
            return
        self.seen[key] = message.line
        if message.id == "" and message.context is None and not message.obsolete:
            if self.result.messages or self.result.header_line:
                self.errors.append(_Fatal(message.line, 0, "duplicate message definition"))
                return
            self.result.header_line = message.line
            self.result.header_comment = message.translator_comments
            self.result.header = _parse_header(message.string)
            self.result.header_text = message.string
            return
        (self.result.obsolete if message.obsolete else self.result.messages).append(message)


def _add_comment(message: Message, comment: str) -> None:
    kind = comment[1:2]
    if kind == ",":
        message.flags += [f.strip() for f in comment[2:].split(",") if f.strip()]
    elif kind == ".":
        message.auto_comments.append(comment[2:].strip())
    elif kind == ":":
        message.references += comment[2:].split()
    else:
        message.translator_comments.append(comment[1:].removeprefix(" "))


def _parse_header(text: str) -> dict[str, str]:
    header: dict[str, str] = {}
    for line in text.split("\n"):
        name, colon, value = line.partition(":")
        if colon:
            header[name.strip()] = value.strip()
    return header


def _plural_header(result: PoFile, errors: list[_Fatal]) -> int | None:
    """msgfmt's reading of the plural rule: 'nplurals=' and 'plural=' anywhere in the header."""
    text, line = result.header_text, result.header_line or 1
    plurals = any(m.plural_id is not None and m.translated for m in result.messages)
    count_at, rule_at = text.find("nplurals="), text.find("plural=")
    if count_at == -1 or rule_at == -1:
        if plurals:
            errors.append(
                _Fatal(
                    line,
                    0,
                    "message catalog has plural form translations, but lacks a header entry "
                    'with "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;"',
                )
            )
        return None
    count = re.match(r"\s*(\d+)", text[count_at + len("nplurals=") :])
    if count is None:
        if plurals:
            errors.append(_Fatal(line, 0, 'header entry lacks a "nplurals=INTEGER" attribute'))
        return None
    expression = re.split(r"[;\n]", text[rule_at + len("plural=") :], maxsplit=1)[0]
    largest = _largest_plural(expression)
    if largest is None:
        errors.append(_Fatal(line, 0, "invalid plural expression"))
        return None
    nplurals = int(count.group(1))
    if largest >= nplurals:
        errors.append(
            _Fatal(
                line,
                0,
                f"nplurals = {nplurals} but plural expression can produce values as large as "
                f"{largest}",
            )
        )
    return nplurals


def _check_semantics(result: PoFile, errors: list[_Fatal]) -> None:
    """The checks msgfmt makes after parsing: newlines, plural counts, Python formats."""
    nplurals = _plural_header(result, errors)
    for message in result.messages:
        if message.plural_id is not None and not message.fuzzy:
            for end, name in ((0, "begin"), (-1, "end")):
                ids = (message.id, message.plural_id)
                if all(ids) and (ids[0][end] == "\n") != (ids[1][end] == "\n"):
                    errors.append(
                        _Fatal(
                            message.line,
                            0,
                            f"'msgid' and 'msgid_plural' entries do not both {name} with '\\n'",
                        )
                    )
        if message.fuzzy or not message.translated:
            continue  # msgfmt does not check fuzzy or untranslated entries
        pairs = [(message.id, message.string)]
        if message.plural_id is not None:
            pairs = [(message.id, message.plural_strings[0])]
            pairs += [(message.plural_id, s) for s in message.plural_strings[1:]]
            if nplurals is not None and len(message.plural_strings) != nplurals:
                errors.append(
                    _Fatal(
                        result.header_line,
                        0,
                        f"nplurals = {nplurals}... but some messages have "
                        f"{len(message.plural_strings)} plural forms",
                    )
                )
        for source, target in pairs:
            for end, name in ((0, "begin"), (-1, "end")):
                if source and target and (source[end] == "\n") != (target[end] == "\n"):
                    errors.append(
                        _Fatal(
                            message.line,
                            0,
                            f"'msgid' and 'msgstr' entries do not both {name} with '\\n'",
                        )
                    )
        # msgfmt checks each plural form's format against msgid_plural
        formats = (
            [(message.plural_id, s) for s in message.plural_strings] if message.plural_id else pairs
        )
        for source, target in formats if "python-format" in message.flags else []:
            problem = python_format_problem(source, target)
            if problem:
                errors.append(_Fatal(message.line, 0, problem))


_DIRECTIVE = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?(?P<flags>[#0\- +]*)(?P<width>\*|\d+)?(?:\.(?P<precision>\*|\d+))?"
    r"[hlL]?(?P<conversion>.?)",
    re.DOTALL,
)


def python_format_directives(text: str) -> tuple[list[tuple[str, str]] | None, str]:
    """Return (name, conversion) of each %-directive in text, or (None, reason) if it is invalid."""
    found: list[tuple[str, str]] = []
    for match in _DIRECTIVE.finditer(text):
        conversion = match.group("conversion")
        if conversion == "%" and not match.group("name"):
            continue  # '%%' (with or without flags) is a percent sign
        if conversion == "%":
            found.append((match.group("name"), "%"))
            continue
        if not conversion or conversion not in "diouxXeEfFgGcrsa":
            shown = conversion or "end of string"
            return (
                None,
                f"'{shown}' after '%' is not a valid conversion (write %% for a percent sign)",
            )
        found.append((match.group("name") or "", conversion))
    if len({bool(name) for name, _ in found}) > 1:
        return None, "named and unnamed %-directives are mixed"
    return found, ""


def python_format_problem(source: str, target: str) -> str:
    """Return msgfmt's complaint when target's %-directives do not fit source's, else ''."""
    expected, _ = python_format_directives(source)
    found, reason = python_format_directives(target)
    if found is None:
        return f"'msgstr' is not a valid Python format string, unlike 'msgid': {reason}"
    if expected is None:
        return ""
    named_source = {name for name, _ in expected if name}
    named_target = {name for name, _ in found if name}
    if named_source and any(not name for name, _ in found):
        return "format specifications in 'msgid' expect a mapping, those in 'msgstr' expect a tuple"
    for name in sorted(named_target - named_source):
        return f"a format specification for argument '{name}' doesn't exist in 'msgid'"
    for name in sorted(named_source - named_target):
        return f"a format specification for argument '{name}' doesn't exist in 'msgstr'"
    types = {name: conversion for name, conversion in expected}
    for name, conversion in found:
        if name in types and _kind(types[name]) != _kind(conversion):
            return (
                f"format specifications in 'msgid' and 'msgstr' for argument '{name}' "
                "are not the same"
            )
    return ""


def _kind(conversion: str) -> str:
    return "number" if conversion in "diouxXeEfFgG" and conversion != "%" else conversion


def _check_header(result: PoFile, name: str, report: Report) -> None:
    """msgfmt --check-header: the header fields Poedit and Weblate rely on (warnings)."""
    where = Location(name, result.header_line or 1, 1)
    if not result.header_line:
        report.warning(where, "PO file has no header entry", "run 'guidegen i18n update'")
        return
    for key in REQUIRED_HEADER:
        if key not in result.header:
            report.warning(where, f"header field '{key}' missing in header")
        elif _DEFAULT_VALUES.get(key) == result.header[key]:
            report.warning(where, f"header field '{key}' still has the initial default value")
    content_type = result.header.get("Content-Type", "")
    charset = re.search(r"charset=([^\s;]+)", content_type)
    if content_type and (charset is None or charset.group(1).lower().replace("_", "-") != "utf-8"):
        report.warning(
            where,
            f"PO file must be UTF-8, its header says '{content_type}'",
            'set "Content-Type: text/plain; charset=UTF-8" and save it as UTF-8',
        )


def write_po(path: Path, po: PoFile, root: Path) -> bool:
    """Write a PO (or POT) file atomically if its text changed; True when written.

    root is the folder it must lie in (the project's content/locales).
    """
    from .output import write_atomic

    data = format_po(po).encode("utf-8")
    if path.is_file() and path.read_bytes() == data:
        return False
    write_atomic(path, data, root)
    return True


def format_po(po: PoFile) -> str:
    """Return the text of a PO file: a line per source line, never re-wrapped (msgcat --no-wrap)."""
    import polib

    document = polib.POFile(wrapwidth=0, check_for_duplicates=False)
    document.header = "\n".join(po.header_comment)
    document.metadata = dict(po.header)
    for message in po.messages + po.obsolete:
        document.append(_to_polib(message))
    text = str(document)
    return text if text.endswith("\n") else text + "\n"


def _to_polib(message: Message):
    import polib

    entry = polib.POEntry(
        msgid=message.id,
        msgstr=message.string if message.plural_id is None else "",
        msgctxt=message.context,
        flags=list(message.flags),
        comment="\n".join(message.auto_comments),
        tcomment="\n".join(message.translator_comments),
        occurrences=[_split_reference(r) for r in message.references],
        obsolete=message.obsolete,
    )
    if message.plural_id is not None:
        entry.msgid_plural = message.plural_id
        entry.msgstr_plural = dict(enumerate(message.plural_strings))
    if message.previous_id is not None and not message.obsolete:
        entry.previous_msgid = message.previous_id
        entry.previous_msgctxt = message.previous_context
    return entry


def _split_reference(reference: str) -> tuple[str, str]:
    name, _, line = reference.rpartition(":")
    return (name, line) if name and line.isdigit() else (reference, "")


@functools.lru_cache(maxsize=64)
def _largest_plural(expression: str) -> int | None:
    """Return the largest form index a Plural-Forms expression gives for 0..999, None if invalid
    (every catalog of a language has the same expression: it is evaluated once)."""
    import gettext

    try:
        rule = gettext.c2py(expression)
        return max(rule(n) for n in range(1000))
    except (ValueError, RecursionError, ZeroDivisionError, OverflowError):
        return None
