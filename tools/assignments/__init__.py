"""The course's assignments: making the student versions, and grading submissions.

Each assignment has one source notebook, ``assignments/source/<name>.ipynb``,
in otter-grader's format: questions, solutions, public tests and hidden tests
together. Two commands (run from the repository root) do the rest:

* ``python -m tools.assignments make`` runs ``otter assign`` on every source
  notebook. The grader's material (the solution notebook, all tests and the
  autograder zip) goes to ``assignments/dist/<name>/`` and is not committed;
  the student version (solutions removed, public tests beside it) goes to
  ``assignments/student/<name>/``, which the book publishes.
* ``python -m tools.assignments grade <name> <folder>`` grades every
  ``.ipynb`` in a folder with ``otter run`` (no Docker), several at once
  (``--jobs``, default: the cores), and writes ``grades.csv`` (a score per
  question) and a feedback report.

The autograder zip is also the one to upload to Gradescope: ``otter assign``
builds it with Gradescope's ``setup.sh`` and ``run_autograder``, and its
``environment.yml`` adds what ``assignments/source/requirements.txt`` lists
(PyTorch's CPU wheel and rnnlib); see ``assignments/instructors.md``.

Both need otter-grader with all its dependencies, which the course's
environment pins (``requirements.txt``, README command 1). This is the
instructors' tooling: it is not part of the ``rnnlib`` package that learners
install, whose ``assignments`` extra holds only the students' client. Modules:
:mod:`~tools.assignments.make`, :mod:`~tools.assignments.grade` and
:mod:`~tools.assignments.otter_cli` (how both call otter).
"""

from tools.assignments.grade import Grade, grade_folder, write_csv, write_feedback
from tools.assignments.make import ASSIGNMENTS, AssignmentPaths, make_assignment

__all__ = ["ASSIGNMENTS", "AssignmentPaths", "Grade", "grade_folder", "make_assignment", "write_csv", "write_feedback"]
