#!/usr/bin/env python3
"""pre-commit hook: every file named on the command line must parse as YAML (all of its documents).

Syntax only, like pre-commit-hooks' `check-yaml --unsafe`: the documents are composed, not constructed,
so application tags such as mkdocs.yml's `!!python/name:` are accepted.
"""
import sys

import yaml


def main(paths: list[str]) -> int:
    failed = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                for _ in yaml.compose_all(handle, Loader=yaml.SafeLoader):
                    pass
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            print(f"{path}: {error}")
            failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
