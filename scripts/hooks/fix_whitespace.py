#!/usr/bin/env python3
"""pre-commit hooks that fix text files in place and fail when they changed one (as pre-commit-hooks'
trailing-whitespace and end-of-file-fixer do):

  fix_whitespace.py trailing-whitespace FILE...   removes spaces and tabs at the end of lines
                                                  (Markdown's two-space hard break is kept)
  fix_whitespace.py end-of-file FILE...           makes a non-empty file end in exactly one newline
"""
import re
import sys

TRAILING = re.compile(rb"[ \t]+(?=\r?\n|\Z)")


def strip_trailing(path: str, content: bytes) -> bytes:
    if not path.endswith(".md"):
        return TRAILING.sub(b"", content)
    lines = content.splitlines(keepends=True)
    fixed = []
    for line in lines:
        body = line.rstrip(b"\r\n")
        ending = line[len(body):]
        stripped = body.rstrip(b" \t")
        # Exactly two trailing spaces after text is a Markdown line break: keep it.
        if body.endswith(b"  ") and stripped and body[len(stripped):] == b"  ":
            fixed.append(line)
        else:
            fixed.append(stripped + ending)
    return b"".join(fixed)


def fix_end_of_file(content: bytes) -> bytes:
    if not content.strip(b"\r\n"):
        return b""
    return content.rstrip(b"\r\n") + b"\n"


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in ("trailing-whitespace", "end-of-file"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, paths = argv[0], argv[1:]
    changed = 0
    for path in paths:
        with open(path, "rb") as handle:
            content = handle.read()
        fixed = strip_trailing(path, content) if mode == "trailing-whitespace" else fix_end_of_file(content)
        if fixed != content:
            with open(path, "wb") as handle:
                handle.write(fixed)
            print(f"fixed {mode}: {path}")
            changed = 1
    return changed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
