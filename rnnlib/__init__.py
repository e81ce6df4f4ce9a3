"""rnnlib: the small library behind the RNN course.

One module per idea:

* :mod:`rnnlib.runtime`: seeding and device choice (every chapter's first lines);
* :mod:`rnnlib.book`: gluing computed numbers into the prose;
* :mod:`rnnlib.structures`: the five input/output structures as data (chapter 1);
* :mod:`rnnlib.diagrams`: drawing networks, folded and unrolled (chapters 1-3);
* :mod:`rnnlib.widgets`: the chapters' interactive explorers;
* :mod:`rnnlib.unrolling`: the two formulas, step by step and written out (chapter 3);
* :mod:`rnnlib.weights`: recurrent matrices with a chosen scale (chapters 4-5);
* :mod:`rnnlib.memory`: how much of the state each input accounts for (chapter 4);
* :mod:`rnnlib.plots`: plots of measured quantities;
* :mod:`rnnlib.gradients`: gradient norms through time and their bound (chapter 5);
* :mod:`rnnlib.recipe`: the braised-pork-ribs task (chapters 5-6);
* :mod:`rnnlib.models`, :mod:`rnnlib.training`, :mod:`rnnlib.experiments`: the
  small classifier, its training loop, and the recipe experiment (chapters 5-6);
* :mod:`rnnlib.cliff`: the exploding-gradient cliff (chapters 5-6);
* :mod:`rnnlib.cells`: LSTM and GRU written out (chapter 6);
* :mod:`rnnlib.article`: the article's RNN class and its fix (chapter 7);
* :mod:`rnnlib.classifier`: the name classifier (chapter 8);
* :mod:`rnnlib.generator`: the name generator (chapter 9);
* :mod:`rnnlib.data`: the surname-by-language data set;
* :mod:`rnnlib.assignments`: making the assignments' student versions and
  grading submissions (needs the ``assignments`` extra, otter-grader).
"""

from rnnlib.runtime import pick_device, seed_everything

__version__ = "0.1.0"

__all__ = ["__version__", "pick_device", "seed_everything"]
