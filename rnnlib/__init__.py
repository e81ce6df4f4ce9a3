"""rnnlib: the small library behind the RNN course.

One module per idea, in the order a reader meets them:

* :mod:`rnnlib.runtime`: seeding and device choice (every chapter's first lines), and
  experiments run side by side, one process per core (chapters 5, 6 and 11);
* :mod:`rnnlib.book`: gluing computed numbers into the prose (every chapter);
* :mod:`rnnlib.structures`: the five input/output structures as data (chapter 1);
* :mod:`rnnlib.diagrams`: drawing networks, folded and unrolled (chapters 1-3);
* :mod:`rnnlib.widgets`: the chapters' interactive explorers (chapters 2-5);
* :mod:`rnnlib.unrolling`: the two formulas, step by step and written out (chapter 3);
* :mod:`rnnlib.weights`: recurrent matrices with a chosen scale (chapters 4-5);
* :mod:`rnnlib.memory`: how much of the state each input accounts for, and its plot (chapter 4);
* :mod:`rnnlib.gradients`: gradient norms through time and their bound (chapter 5);
* :mod:`rnnlib.recipe`: the braised-pork-ribs task, its model, its training
  loop and its experiment (chapters 5-6);
* :mod:`rnnlib.cliff`: the exploding-gradient cliff (chapters 5-6);
* :mod:`rnnlib.gates`: the LSTM and GRU written out (chapter 6);
* :mod:`rnnlib.gate_diagrams`: the LSTM and GRU cells drawn (chapter 6);
* :mod:`rnnlib.article`: the article's RNN class and its fix (chapter 7);
* :mod:`rnnlib.data`: the surname-by-language data set: download, cleaning,
  letters, tensors, splits (chapters 7-9); and the Tiny Shakespeare corpus;
* :mod:`rnnlib.training`: epochs of shuffled batches over a fixed data set (chapters 8-9);
* :mod:`rnnlib.classifier`: the name classifier (chapter 8);
* :mod:`rnnlib.ngrams`: a classifier with no memory, a bag of letter n-grams (chapter 8);
* :mod:`rnnlib.generator`: the name generator (chapter 9);
* :mod:`rnnlib.charlm`: the character language model on running text, trained with truncated
  backpropagation through time (chapter 10);
* :mod:`rnnlib.translation`: the French-English pairs: normalising, filtering, the
  leak-free split, vocabularies, padded batches and BLEU (chapter 11);
* :mod:`rnnlib.attention`: additive (Bahdanau) attention and scaled dot-product
  self-attention (chapter 11);
* :mod:`rnnlib.seq2seq`: the encoder, the decoders with and without attention,
  their training, greedy decoding and beam search (chapter 11).

The instructors' tooling (making and grading the assignments, the Colab
edition) is not part of the package: it lives in the repository's ``tools/``.
"""

from rnnlib.runtime import pick_device, run_in_processes, seed_everything, sweep_seeds

__version__ = "0.1.0"

__all__ = ["__version__", "pick_device", "run_in_processes", "seed_everything", "sweep_seeds"]
