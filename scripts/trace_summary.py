#!/usr/bin/python3
"""Summarise a trace written by `arxivc ... --profile FILE` (Chrome trace-event JSON).

Prints, from the trace alone (Python's standard library only):
  * per span name: count, total, self time (total less the spans nested in it on the same thread),
    mean and max, and the total as a share of the trace's wall time;
  * per thread: its spans' coverage, the time it waited (spans of category "wait"), and busy time
    (coverage less waits) as a share of the wall time;
  * for `serve`: the sampled requests' phases (count, mean, p50, p99).

Usage: scripts/trace_summary.py TRACE.json [--top N] [--markdown]
"""

import argparse
import json
import sys
from collections import defaultdict


def percentile(values, fraction):
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, int(round(fraction * (len(ordered) - 1)))))
    return ordered[index]


def union_length(intervals):
    total = 0.0
    end = None
    start = None
    for a, b in sorted(intervals):
        if end is None or a > end:
            if end is not None:
                total += end - start
            start, end = a, b
        else:
            end = max(end, b)
    if end is not None:
        total += end - start
    return total


def summarise(trace):
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    other = trace.get("otherData", {}) if isinstance(trace, dict) else {}
    thread_names = {}
    process_name = ""
    spans = []  # (tid, name, category, start, end)
    async_begin = {}
    phases = defaultdict(list)
    for event in events:
        phase = event.get("ph")
        if phase == "M":
            if event.get("name") == "thread_name":
                thread_names[event.get("tid")] = event.get("args", {}).get("name", "")
            elif event.get("name") == "process_name":
                process_name = event.get("args", {}).get("name", "")
        elif phase == "X":
            start = float(event["ts"])
            spans.append((event.get("tid"), event["name"], event.get("cat", ""), start,
                          start + float(event.get("dur", 0.0))))
        elif phase == "b":
            async_begin[(event.get("cat"), event.get("id"), event["name"])] = float(event["ts"])
        elif phase == "e":
            key = (event.get("cat"), event.get("id"), event["name"])
            if key in async_begin:
                phases[event["name"]].append(float(event["ts"]) - async_begin.pop(key))

    times = [s[3] for s in spans] + [s[4] for s in spans]
    wall = (max(times) - min(times)) if times else 0.0

    # Self time: each span's duration less its direct children's on the same thread.
    by_name = defaultdict(lambda: {"count": 0, "total": 0.0, "self": 0.0, "max": 0.0, "category": ""})
    by_thread = defaultdict(list)
    for span in spans:
        by_thread[span[0]].append(span)
    for tid, thread_spans in by_thread.items():
        thread_spans.sort(key=lambda s: (s[3], -(s[4] - s[3])))
        stack = []  # [name, end, children_time, duration]

        def close(entry):
            stats = by_name[entry[0]]
            stats["self"] += max(0.0, entry[3] - entry[2])

        for _tid, name, category, start, end in thread_spans:
            while stack and stack[-1][1] <= start:
                close(stack.pop())
            duration = end - start
            if stack:
                stack[-1][2] += duration
            stats = by_name[name]
            stats["count"] += 1
            stats["total"] += duration
            stats["max"] = max(stats["max"], duration)
            stats["category"] = category
            stack.append([name, end, 0.0, duration])
        while stack:
            close(stack.pop())

    threads = []
    for tid, thread_spans in by_thread.items():
        covered = union_length([(s[3], s[4]) for s in thread_spans])
        waited = union_length([(s[3], s[4]) for s in thread_spans if s[2] == "wait"])
        threads.append({
            "tid": tid,
            "name": thread_names.get(tid, "thread-%s" % tid),
            "spans": len(thread_spans),
            "covered": covered,
            "waited": waited,
            "busy": covered - waited,
        })
    threads.sort(key=lambda t: (t["tid"] if isinstance(t["tid"], int) else 0))
    return {
        "process": process_name,
        "other": other,
        "wall": wall,
        "spans": len(spans),
        "by_name": by_name,
        "threads": threads,
        "phases": phases,
    }


def ms(microseconds):
    return microseconds / 1000.0


def print_table(header, rows, markdown):
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("| " + " | ".join(["---"] + ["---:"] * (len(header) - 1)) + " |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)] if rows else [len(h) for h in header]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(header, widths))))
    for row in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace", help="trace file written by --profile")
    parser.add_argument("--top", type=int, default=40, help="span names to list (default 40)")
    parser.add_argument("--markdown", action="store_true", help="Markdown tables")
    args = parser.parse_args()
    try:
        with open(args.trace, encoding="utf-8") as f:
            trace = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit("trace_summary: cannot read %s: %s" % (args.trace, e))
    s = summarise(trace)
    other = s["other"]
    print("%s: %s" % (args.trace, s["process"] or "(unnamed process)"))
    if other.get("command_line"):
        print("command line: %s" % " ".join(other["command_line"]))
    if other.get("start_time"):
        print("started %s, arxivc %s" % (other["start_time"], other.get("arxivc_version", "?")))
    print("wall time covered by spans: %.1f ms; %d spans%s" % (
        ms(s["wall"]), s["spans"],
        ", %d events dropped (the trace was full)" % other["dropped_events"] if other.get("dropped_events") else ""))
    print()

    wall = s["wall"] or 1.0
    rows = []
    ranked = sorted(s["by_name"].items(), key=lambda item: -item[1]["total"])[: args.top]
    for name, st in ranked:
        rows.append([name, st["category"], str(st["count"]), "%.1f" % ms(st["total"]), "%.1f" % ms(st["self"]),
                     "%.3f" % ms(st["total"] / st["count"]), "%.1f" % ms(st["max"]),
                     "%.1f%%" % (100.0 * st["total"] / wall)])
    print_table(["span", "category", "count", "total ms", "self ms", "mean ms", "max ms", "% of wall"], rows,
                args.markdown)
    print()

    rows = []
    for t in s["threads"]:
        rows.append([t["name"], str(t["tid"]), str(t["spans"]), "%.1f" % ms(t["covered"]), "%.1f" % ms(t["waited"]),
                     "%.1f" % ms(t["busy"]), "%.1f%%" % (100.0 * t["busy"] / wall)])
    print_table(["thread", "tid", "spans", "covered ms", "waited ms", "busy ms", "busy % of wall"], rows,
                args.markdown)

    if s["phases"]:
        print()
        rows = []
        order = ["request", "read", "handle", "queue_wait", "inference", "write"]
        names = sorted(s["phases"], key=lambda n: (order.index(n) if n in order else len(order), n))
        for name in names:
            values = s["phases"][name]
            rows.append([name, str(len(values)), "%.3f" % ms(sum(values) / len(values)),
                         "%.3f" % ms(percentile(values, 0.5)), "%.3f" % ms(percentile(values, 0.99))])
        print_table(["request phase (sampled)", "count", "mean ms", "p50 ms", "p99 ms"], rows, args.markdown)


if __name__ == "__main__":
    main()
