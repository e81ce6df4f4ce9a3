"""The book's own tooling, run from the repository root and not installed with rnnlib.

* ``python tools/colab_edition.py``: the Colab edition of every chapter and assignment;
* ``python -m tools.assignments make | grade``: the assignments' student versions, and grading.
"""
