"""rnnlib: the small library behind the RNN course.

One module per idea:

* :mod:`rnnlib.runtime`: seeding and device choice;
* :mod:`rnnlib.book`: gluing computed numbers into the prose;
* :mod:`rnnlib.structures`: the five input/output structures as data;
* :mod:`rnnlib.diagrams`: drawing networks with matplotlib;
* :mod:`rnnlib.data`: the surname-by-language data set.
"""

from rnnlib.runtime import pick_device, seed_everything

__version__ = "0.1.0"

__all__ = ["__version__", "pick_device", "seed_everything"]
