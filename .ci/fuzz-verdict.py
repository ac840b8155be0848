#!/usr/bin/env python3
"""The fuzz step's verdict: the failing cases of this run (Schemathesis JUnit reports and the
hostile cases' list) against the known failures in .ci/fuzz-known-failures.txt.

    .ci/fuzz-verdict.py --known .ci/fuzz-known-failures.txt --hostile failures.txt --junit a.xml --junit b.xml

Exits 1 if a case fails that is not on the list (a new failure); a listed case that passes now is
printed as "now passing: remove from the list" without failing the step. Standard library only.
"""
import argparse
import re
import sys
import xml.etree.ElementTree as ET


def known_failures(path):
    """One case id per line; '#' starts a comment (the finding it belongs to in docs/fuzz-findings.md)."""
    known = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            case, _, comment = line.partition(" # ")
            case = case.strip()
            if case and not case.startswith("#"):
                known[case] = comment.strip() or f"line {number}"
    return known


def schemathesis_failures(path):
    """'schemathesis <operation> <check>' for each failed check, 'schemathesis <operation> error: <title>' for errors."""
    failures = set()
    for case in ET.parse(path).getroot().iter("testcase"):
        operation = case.get("name")
        for failure in case.findall("failure"):
            checks = re.findall(r"^- (ST\d+ .+)$", failure.text or "", re.MULTILINE)
            for check in checks or [failure.get("message") or "failure"]:
                failures.add(f"schemathesis {operation} {check.strip()}")
        for error in case.findall("error"):
            title = (error.text or error.get("message") or "error").strip().splitlines()[0]
            failures.add(f"schemathesis {operation} error: {title}")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--known", required=True)
    parser.add_argument("--hostile", required=True, help="the failing case ids that fuzz-hostile.py wrote")
    parser.add_argument("--junit", action="append", default=[], help="a Schemathesis JUnit report (repeatable)")
    args = parser.parse_args()

    known = known_failures(args.known)
    failing = set()
    for report in args.junit:
        failing |= schemathesis_failures(report)
    with open(args.hostile, encoding="utf-8") as f:
        failing |= {line.strip() for line in f if line.strip()}

    new = sorted(failing - known.keys())
    still = sorted(failing & known.keys())
    fixed = sorted(known.keys() - failing)
    print(f"\nfuzz: {len(failing)} failing cases: {len(still)} known, {len(new)} new; "
          f"{len(fixed)} known failures now pass")
    for case in still:
        print(f"  known failure ({known[case]}): {case}")
    for case in fixed:
        print(f"  now passing: remove from the list: {case}")
    for case in new:
        print(f"  NEW FAILURE: {case}")
    if new:
        print("\nfuzz: new failures: fix them, or (for a bug to fix later) describe them in docs/fuzz-findings.md "
              "and add their ids to .ci/fuzz-known-failures.txt", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
