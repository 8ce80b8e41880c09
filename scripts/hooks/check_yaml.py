#!/usr/bin/env python3
"""pre-commit hook: every file named on the command line must parse as YAML (all of its documents)."""
import sys

import yaml


def main(paths: list[str]) -> int:
    failed = 0
    for path in paths:
        try:
            with open(path, encoding="utf-8") as handle:
                for _ in yaml.safe_load_all(handle):
                    pass
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
            print(f"{path}: {error}")
            failed = 1
    return failed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
