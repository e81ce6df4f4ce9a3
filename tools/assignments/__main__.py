"""Command line: ``python -m tools.assignments make [NAME ...]`` and ``... grade NAME FOLDER``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.assignments.grade import grade_folder, write_csv, write_feedback
from tools.assignments.make import ASSIGNMENTS, AssignmentPaths, make_assignment


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.assignments", description=__doc__)
    parser.add_argument("--root", default="assignments", help="the assignments folder (default: %(default)s)")
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("make", help="make the student versions and the grader's material")
    make.add_argument("names", nargs="*", metavar="NAME", help=f"default: all ({', '.join(ASSIGNMENTS)})")
    grade = commands.add_parser("grade", help="grade a folder of submitted notebooks")
    grade.add_argument("name", choices=ASSIGNMENTS)
    grade.add_argument("folder", type=Path, help="a folder of submitted .ipynb files")
    grade.add_argument("--out", type=Path, help="where to write grades.csv and the feedback (default: FOLDER)")
    grade.add_argument("--timeout", type=float, default=600, help="seconds per submission (default: %(default)s)")
    grade.add_argument(
        "--jobs", type=int, default=None, help="submissions graded at once (default: the number of cores)"
    )
    args = parser.parse_args(argv)
    try:
        return _run(args)
    except (ValueError, FileNotFoundError, RuntimeError, ModuleNotFoundError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    if args.command == "make":
        for name in args.names or ASSIGNMENTS:
            paths = make_assignment(name, args.root)
            print(f"{name}: student version in {paths.student}, grader's material in {paths.dist}")
        return 0
    paths = AssignmentPaths(args.name, Path(args.root))
    grades = grade_folder(args.folder, paths.autograder, args.timeout, args.jobs)
    out = args.out or args.folder
    out.mkdir(parents=True, exist_ok=True)
    table = write_csv(grades, out / "grades.csv")
    report = write_feedback(grades, out, title=f"Feedback on {args.name}")
    for grade in grades:
        print(
            f"{grade.submission}: {grade.total:g} / {grade.out_of:g}" + (f" ({grade.problem})" if grade.problem else "")
        )
    print(f"wrote {table} and {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
