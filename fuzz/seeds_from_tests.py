#!/usr/bin/env python3
"""Seeds from the tests: the string literals of the test sources that exercise each harness's input.

    fuzz/seeds_from_tests.py SEEDS_DIR

Adjacent literals are joined as the compiler joins them and C escapes are decoded, so a test's request,
override, YAML document or record becomes one seed of the harness that parses the same kind of input.
"""
import hashlib
import pathlib
import re
import sys

LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\", '"': '"', "'": "'", "?": "?"}

# harness -> (test sources, which literals are inputs of that kind)
SOURCES = {
    "fuzz_override_parser": (["tests/unit/config_override_test.cpp", "tests/unit/config_limits_test.cpp",
                              "tests/unit/config_interpolation_test.cpp"],
                             lambda s: "=" in s or s.startswith("~")),
    "fuzz_config_compose": (["tests/unit/config_yaml_test.cpp", "tests/unit/config_compose_test.cpp",
                             "tests/unit/config_limits_test.cpp", "tests/unit/config_interpolation_test.cpp"],
                            lambda s: ":" in s and "\n" in s),
    "fuzz_http_request": (["tests/e2e/serve_strict_http_test.cpp", "tests/e2e/serve_errors_test.cpp",
                           "tests/e2e/serve_api_test.cpp"],
                          lambda s: "HTTP/1." in s),
    "fuzz_record_parser": (["tests/unit/ingest_records_test.cpp", "tests/unit/ingest_reader_test.cpp"],
                           lambda s: s.lstrip().startswith("{")),
}


def decode(body):
    out, i = [], 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt == "x":
            digits = re.match(r"[0-9a-fA-F]{1,2}", body[i + 2:]).group(0)
            out.append(chr(int(digits, 16)))
            i += 2 + len(digits)
        else:
            out.append(ESCAPES.get(nxt, nxt))
            i += 2
    return "".join(out)


def literals(text):
    """Each run of adjacent string literals, joined."""
    runs, current, end = [], None, -1
    for match in LITERAL.finditer(text):
        between = text[end:match.start()] if end >= 0 else None
        if current is not None and between is not None and between.strip() == "":
            current += decode(match.group(1))
        else:
            if current is not None:
                runs.append(current)
            current = decode(match.group(1))
        end = match.end()
    if current is not None:
        runs.append(current)
    return runs


def main():
    seeds = pathlib.Path(sys.argv[1])
    for harness, (files, wanted) in SOURCES.items():
        target = seeds / harness
        target.mkdir(parents=True, exist_ok=True)
        count = 0
        for name in files:
            path = pathlib.Path(name)
            if not path.exists():
                continue
            for value in literals(path.read_text(encoding="utf-8", errors="replace")):
                if len(value) < 3 or not wanted(value):
                    continue
                data = value.encode("latin-1", errors="replace") if all(ord(c) < 256 for c in value) \
                    else value.encode("utf-8")
                digest = hashlib.sha1(data).hexdigest()[:12]
                (target / f"test-{digest}").write_bytes(data)
                count += 1
        print(f"seeds_from_tests: {count} seeds for {harness}")


if __name__ == "__main__":
    main()
