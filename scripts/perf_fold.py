#!/usr/bin/python3
"""Fold `perf script` output into flame-graph stacks (Python's standard library only).

Debian has no flame graph package; this does what stackcollapse-perf.pl does: one line per distinct call
stack, frames from the outermost to the innermost separated by ';', then the number of samples. The
output goes into any flame-graph tool (flamegraph.pl, https://www.speedscope.app, ...) on the user's side;
--top prints the hottest stacks and the functions with the most samples at the top of the stack (self)
and anywhere in it (total), for a terminal. See docs/profiling.md.

  perf script -i perf.data -F comm,tid,ip,sym --no-inline | scripts/perf_fold.py > perf.folded
  perf script -i perf.data -F comm,tid,ip,sym --no-inline | scripts/perf_fold.py --top 15
"""

import argparse
import collections
import re
import sys

# "ffffffff82252809 pvm_irq_enable" or "230620 [unknown]"; sym may carry "+0x1f" with -F sym,symoff.
FRAME = re.compile(r"^\s+[0-9a-fA-F]+\s+(.*?)\s*$")


def simplify(symbol, keep_arguments):
    symbol = re.sub(r"\+0x[0-9a-fA-F]+$", "", symbol)
    if symbol.endswith(" (inlined)"):
        symbol = symbol[: -len(" (inlined)")]
    if not keep_arguments:
        # Drop the argument lists of C++ names, keeping lambda markers readable: f(int)::{lambda(unsigned)#3}
        # becomes f::{lambda#3}.
        symbol = symbol.replace("(anonymous namespace)", "{anonymous}").replace("operator()", "operator\x00")
        out, depth = [], 0
        for c in symbol:
            if c == "(":
                depth += 1
            elif c == ")":
                depth = max(0, depth - 1)
            elif depth == 0:
                out.append(c)
        symbol = "".join(out).replace("operator\x00", "operator()")
    return symbol.replace(";", ":") or "[unknown]"


def fold(lines, keep_arguments, with_thread):
    stacks = collections.Counter()
    head, frames = None, []

    def flush():
        if head is not None:
            path = list(reversed(frames))
            if with_thread:
                path.insert(0, head)
            stacks[";".join(path) if path else head] += 1

    for line in lines:
        if not line.strip():
            flush()
            head, frames = None, []
            continue
        match = FRAME.match(line)
        if match and head is not None:
            frames.append(simplify(match.group(1), keep_arguments))
        else:
            flush()
            # "comm tid" (with -F comm,tid): the thread's name and id; only the name groups stacks.
            head, frames = line.split()[0] if line.split() else "?", []
    flush()
    return stacks


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=0,
                        help="print the N hottest stacks and functions instead of the folded stacks")
    parser.add_argument("--arguments", action="store_true", help="keep C++ argument lists in frame names")
    parser.add_argument("--no-thread", action="store_true", help="do not start each stack with the thread name")
    args = parser.parse_args()
    stacks = fold(sys.stdin, args.arguments, not args.no_thread)
    if not args.top:
        for stack, count in stacks.most_common():
            print(stack, count)
        return
    total = sum(stacks.values()) or 1
    self_counts, total_counts = collections.Counter(), collections.Counter()
    for stack, count in stacks.items():
        frames = stack.split(";")
        self_counts[frames[-1]] += count
        for frame in set(frames[1:] if not args.no_thread else frames):
            total_counts[frame] += count
    print("%d samples" % total)
    for title, counter in (("self (top of the stack)", self_counts), ("total (anywhere in the stack)", total_counts)):
        print("\n%s:" % title)
        for frame, count in counter.most_common(args.top):
            print("%6.2f%%  %s" % (100.0 * count / total, frame[:160]))
    print("\nhottest stacks (innermost 4 frames):")
    for stack, count in stacks.most_common(args.top):
        frames = stack.split(";")
        print("%6.2f%%  %s" % (100.0 * count / total, " <- ".join(reversed(frames[-4:]))[:200]))


if __name__ == "__main__":
    main()
