"""Reading the YAML node tree of a planning file while remembering where everything was written.

We compose (not load) the YAML: the node tree keeps line marks, lets us catch duplicate keys (which
`yaml.safe_load` silently lets win), and keeps every scalar as the text the user typed, so the
parsers in `planfile_values` decide what `22:30` or `no` means, not YAML 1.1.

`Reader` collects every problem as an `Issue` instead of stopping at the first, and records the line
of every field path (`tasks[2].duration`) so issues found later, on the model, can be placed too.

Imports `yaml` (allowed only inside `tengnuo.formats`), `tengnuo.errors`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

import yaml

from tengnuo.errors import InvalidInputError, Issue

T = TypeVar("T")
Node = yaml.Node
_NULL_TAG = "tag:yaml.org,2002:null"
_INDEXED = re.compile(r"^(?P<base>.*)\[\d+\]$")


def compose(text: str, file: str) -> Node | None:
    """The YAML node tree of `text`; a syntax error raises at once (the rest is unreadable)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or "unreadable YAML"
        if exc.context and exc.context_mark is not None:
            what += f" ({exc.context} from line {exc.context_mark.line + 1})"
        issue = Issue(f"YAML syntax error: {what}", file, line)
        raise InvalidInputError([issue]) from None
    except yaml.YAMLError as exc:  # e.g. a control character the reader refuses
        position = getattr(exc, "position", None)
        line = text.count("\n", 0, position) + 1 if isinstance(position, int) else None
        raise InvalidInputError([Issue(f"YAML error: {exc}", file, line)]) from None


def line_of(node: Node) -> int:
    """1-based line where `node` starts."""
    return int(node.start_mark.line) + 1


def is_null(node: Node) -> bool:
    """`key:` with nothing after it, or `~` / `null`: treated as if the key were absent."""
    return isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG


def join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


@dataclass
class Reader:
    """Walks the node tree of one file, collecting issues and the line of every field path."""

    file: str
    issues: list[Issue] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)

    def error(self, message: str, path: str | None, node: Node | None = None) -> None:
        """Record one problem, placed at `node` or else at the line recorded for `path`."""
        line = line_of(node) if node is not None else self.line_for(path)
        self.issues.append(Issue(message, self.file, line, path or None))

    def line_for(self, path: str | None) -> int | None:
        """The line of `path`, or of its nearest recorded parent (`tasks[2].x` -> `tasks[2]`)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            indexed = _INDEXED.match(path)
            path = indexed["base"] if indexed else path.rpartition(".")[0]
        return None

    def has_issue(self, path: str) -> bool:
        return any(i.field == path for i in self.issues)

    def entries(self, node: Node, path: str) -> list[tuple[str, Node]]:
        """Key/value pairs of a mapping with free keys (profile names, categories, day specs)."""
        if is_null(node):
            return []
        if not isinstance(node, yaml.MappingNode):
            self.error("expected a mapping of `name: value` entries here", path, node)
            return []
        out: list[tuple[str, Node]] = []
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or not key_node.value.strip():
                self.error("a key here must be a plain name", path, key_node)
                continue
            key = key_node.value.strip()
            child = join(path, key)
            if key in first_line:
                self.error(f"duplicate key `{key}` (first written on line {first_line[key]})",
                           child, key_node)
                continue
            first_line[key] = line_of(key_node)
            self.lines[child] = line_of(key_node)
            out.append((key, value_node))
        return out

    def mapping(
        self, node: Node, path: str, allowed: Sequence[str], required: Sequence[str] = ()
    ) -> dict[str, Node] | None:
        """The fields of a fixed-schema mapping; unknown, duplicate and missing fields are issues.

        A field given as null counts as absent (and as missing when it is required).
        """
        if not isinstance(node, yaml.MappingNode):
            self.error(f"expected a mapping with fields like `{allowed[0]}: ...`", path, node)
            return None
        fields: dict[str, Node] = {}
        for key, value in self.entries(node, path):
            if key not in allowed:
                self.error(_unknown_field(key, allowed), join(path, key), None)
            elif not is_null(value):
                fields[key] = value
        for key in required:
            if key not in fields:
                self.error(f"missing required field `{key}`", join(path, key), node)
        return fields

    def sequence(self, node: Node, path: str) -> list[Node]:
        """Items of a list; a null value is an empty list."""
        if is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            self.error("expected a list here (items starting with `- `)", path, node)
            return []
        for i, item in enumerate(node.value):
            self.lines[f"{path}[{i}]"] = line_of(item)
        return list(node.value)

    def text(self, node: Node, path: str) -> str | None:
        """The text of a single value; a list or mapping where a value belongs is an issue."""
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        self.error("expected a single value here, not a list or mapping", path, node)
        return None

    def value(
        self, fields: dict[str, Node], key: str, path: str, parse: Callable[[str], T]
    ) -> T | None:
        """Parse field `key` of `fields` with `parse`; None when absent or invalid (issue kept)."""
        node = fields.get(key)
        if node is None:
            return None
        child = join(path, key)
        raw = self.text(node, child)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self.error(str(exc), child, node)
            return None


def _unknown_field(key: str, allowed: Sequence[str]) -> str:
    """Name the field and, when it looks like a typo, the field that was probably meant."""
    close = difflib.get_close_matches(key, allowed, n=1)
    hint = f"did you mean `{close[0]}`? " if close else ""
    return f"unknown field `{key}`: {hint}allowed here: {', '.join(allowed)}"
