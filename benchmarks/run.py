"""Benchmarks of the course: measurements, not tests. Run from the repository root:

    .venv/bin/python benchmarks/run.py            # all four
    .venv/bin/python benchmarks/run.py B1         # only B1; the others are kept from results.json

The names data is found as everywhere in the course (RNNLIB_DATA, the cache,
or a download); on the course's offline machines run it with
RNNLIB_DATA=../shared/data. It writes benchmarks/results.md (included in the book as the "Benchmarks"
page) and benchmarks/results.json. Compare only numbers from one run: the
machines are shared and noisy, so every comparison is a ratio of two
measurements taken side by side, in the same process.

B1  time to accuracy: the original tutorial's recipe (the article's class,
    hidden 128, plain SGD at 0.005, 100,000 single names with the language
    picked uniformly) against rnnlib's batched trainer (fit_name_classifier,
    its defaults), timed to the end of the first epoch whose held-out accuracy
    reaches the recipe's final accuracy. Both train on the leak-free split's
    training names and are scored on its validation names (chapter 8 keeps
    the test names for its one final score). The two run interleaved (old,
    new, old, new, ...) REPEATS times; the table gives the median of each and
    the ratio of the medians. Both run on one thread: on a busy two-core
    machine a second thread makes the trainer's small matrix products wait
    on each other (the old loop's are too small to be split at all), so one
    thread is the fair and, for the trainer, the conservative choice.
B2  throughput, forward + backward, batch 64, 20 steps, 57 inputs, hidden
    128: the from-scratch layer (rnnlib.article.unroll_layer), the corrected
    cell and the article's class stepped one call per step, against
    torch.nn.RNN + nn.Linear. Median of interleaved repeats.
B3  execution time of every chapter notebook, and of the whole test suite.
B4  can an RNN match a small transformer? nanoGPT's README reports "a loss of
    only 1.88" nats per character on Tiny Shakespeare (first 90 % of the
    characters to train, last 10 % to validate; read here as the validation
    loss, the harder target) for its CPU configuration, a 4-layer,
    128-dimensional transformer trained for about 3 minutes on a laptop's CPU,
    and a validation loss of 1.4697 for its "baby GPT" (6 layers, width 384,
    about 3 minutes on one A100 GPU). B4 trains rnnlib.charlm's CharLM
    (B4_MODEL, B4_TRAINING) on the same split with 2 threads for at most
    B4_SECONDS of wall-clock time (stopped by time; the learning-rate schedule
    follows the time; the checkpoints' small evaluations count in that time),
    then scores the whole validation text with evaluate_loss. Goal: <= 1.50.
B5  the name classifier against its ceiling: chapter 8 executed from top to
    bottom as a reader runs it (the book's seed), its test accuracy and
    balanced accuracy read from its glued values, beside the ceiling that
    any function of the name alone can reach on the same test names
    (rnnlib.classifier.ceiling), its training time and the chapter's.
    Goal: >= 82 % and >= 0.55 balanced, or within 2 points of the ceiling.
    Beside the chapter, B5_SEEDS seeds of three classifiers trained with
    fit_name_classifier on the same training names: the GRU (its defaults),
    a bag of letter n-grams with no memory (rnnlib.ngrams, B5_BAG) and the
    two averaged (the sum of their log-probabilities), for each class-weight
    power in B5_POWERS; the median and range of their validation and test
    scores. A power is chosen on the validation names, not on the test.
"""

from __future__ import annotations

import json
import math
import platform
import random
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import nbformat
import torch
from nbclient import NotebookClient
from torch import nn

from rnnlib.article import ArticleRNN, CorrectedRNN, LastStepClassifier, unroll_cell, unroll_layer
from rnnlib.charlm import CharLM, CharVocab, evaluate_loss, fit_char_lm, split_text
from rnnlib.classifier import evaluate, evaluate_predictions, fit_name_classifier, scores
from rnnlib.data import N_LETTERS, load_names, load_shakespeare, name_to_tensor, split_names
from rnnlib.ngrams import NGramClassifier, ngram_vocabulary

ROOT = Path(__file__).resolve().parent.parent

REPEATS = 3


def _old_recipe(split, languages: list[str], steps: int) -> tuple[float, float]:
    """The tutorial's loop; returns (seconds, held-out accuracy)."""
    by_language = {lang: [n for n, language in split.train if language == lang] for lang in languages}
    pick = random.Random(0)
    torch.manual_seed(0)
    rnn = ArticleRNN(N_LETTERS, 128, len(languages))
    start = time.perf_counter()
    for _ in range(steps):
        language = pick.choice(languages)
        hidden = rnn.init_hidden()
        for letter in name_to_tensor(pick.choice(by_language[language])):
            output, hidden = rnn(letter, hidden)
        loss = nn.functional.cross_entropy(output, torch.tensor([languages.index(language)]))
        rnn.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in rnn.parameters():
                p -= 0.005 * p.grad
    seconds = time.perf_counter() - start
    return seconds, evaluate(LastStepClassifier(rnn), split.validation, languages).accuracy


def _names_split():
    """The names' languages and chapter 8's leak-free split (test 0.2, validation 0.1, seed 0)."""
    data = load_names()
    return data.languages, split_names(data, test_fraction=0.2, seed=0, validation_fraction=0.1)


def b1_time_to_accuracy(steps: int = 100_000, repeats: int = REPEATS) -> dict:
    languages, split = _names_split()
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    runs = []
    try:
        for repeat in range(repeats):  # interleaved: old, new, old, new, ...
            old_seconds, old_accuracy = _old_recipe(split, languages, steps)
            _, history = fit_name_classifier(
                split.train, languages, epochs=10, seed=0, eval_pairs=split.validation, progress=False
            )
            reached = next((e for e, acc in enumerate(history.epoch_accuracy, 1) if acc >= old_accuracy), None)
            runs.append(
                {
                    "old_seconds": old_seconds,
                    "old_accuracy": old_accuracy,
                    "new_epochs_to_reach": reached,
                    "new_seconds_to_reach": history.epoch_seconds[reached - 1] if reached else None,
                    "new_total_seconds": history.epoch_seconds[-1],
                    "new_final_accuracy": history.epoch_accuracy[-1],
                }
            )
            print(f"  B1 repeat {repeat + 1}: {runs[-1]}", flush=True)
    finally:
        torch.set_num_threads(threads)
    old_median = statistics.median(r["old_seconds"] for r in runs)
    reached_all = all(r["new_seconds_to_reach"] is not None for r in runs)
    new_median = statistics.median(r["new_seconds_to_reach"] for r in runs) if reached_all else None
    return {
        "date": date.today().isoformat(),
        "threads": 1,
        "repeats": repeats,
        "old_steps": steps,
        "held_out": f"validation side of split_names(test 0.2, validation 0.1, seed 0): {len(split.validation)} names",
        "runs": runs,
        "old_accuracy": runs[0]["old_accuracy"],
        "new_epochs_to_reach": runs[0]["new_epochs_to_reach"],
        "new_final_accuracy": runs[0]["new_final_accuracy"],
        "old_seconds_median": old_median,
        "new_seconds_to_reach_median": new_median,
        "new_total_seconds_median": statistics.median(r["new_total_seconds"] for r in runs),
        "speedup": old_median / new_median if new_median else None,
    }


def b2_throughput(repeats: int = 30) -> dict:
    torch.manual_seed(0)
    xs = torch.randn(20, 64, N_LETTERS)
    rnn, readout = nn.RNN(N_LETTERS, 128), nn.Linear(128, 18)
    corrected, article = CorrectedRNN(N_LETTERS, 128, 18), ArticleRNN(N_LETTERS, 128, 18)

    def torch_step():
        states, _ = rnn(xs)
        readout(states).sum().backward()

    def corrected_step():
        unroll_cell(corrected, xs)[0].sum().backward()

    def layer_step():
        unroll_layer(corrected, xs)[0].sum().backward()

    def article_step():
        unroll_cell(article, xs)[0].sum().backward()

    steps = {"torch": torch_step, "layer": layer_step, "corrected": corrected_step, "article": article_step}
    timings = {name: [] for name in steps}
    for _ in range(repeats):  # interleaved, so that machine noise hits all alike
        for name, step in steps.items():
            start = time.perf_counter()
            step()
            timings[name].append(time.perf_counter() - start)
    median = {name: statistics.median(values) for name, values in timings.items()}
    return {
        "median_ms": {k: 1000 * v for k, v in median.items()},
        "layer_over_torch": median["layer"] / median["torch"],
        "corrected_over_torch": median["corrected"] / median["torch"],
        "article_over_torch": median["article"] / median["torch"],
    }


def b3_execution_times() -> dict:
    chapters = {}
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
        chapters[path.stem] = time.perf_counter() - start
    start = time.perf_counter()
    suite = subprocess.run([sys.executable, "-m", "pytest", "-q"], cwd=ROOT, capture_output=True, text=True)
    return {
        "chapters_seconds": chapters,
        "suite_seconds": time.perf_counter() - start,
        "suite_summary": suite.stdout.strip().splitlines()[-1] if suite.stdout else "",
    }


#: B4: the best character RNN found in short tuning runs on the course's (busy) two-core machine. In three
#: minutes the model reads the training text about three times: small batches (more updates for the same
#: characters), no dropout (too little reading to overfit) and a learning rate decayed to zero won.
B4_MODEL = {"embedding_dim": 64, "hidden_size": 256, "num_layers": 2, "dropout": 0.0, "cell": "lstm"}
B4_TRAINING = {"batch_size": 16, "seq_len": 64, "lr": 5e-3, "weight_decay": 0.01, "lr_floor": 0.0}
B4_SECONDS = 180.0  # nanoGPT's "about 3 minutes" on a laptop CPU
B4_EVAL_EVERY, B4_EVAL_CHARS = 400, 10_000  # the learning curve's checkpoints: the first 10,000 validation characters


def _windowed_loss(model: CharLM, ids: torch.Tensor, window: int = 64) -> float:
    """nanoGPT's way of scoring: windows of ``window`` characters, each read from a zero state (mean nats/char)."""
    n = (len(ids) - 1) // window
    x = ids[: n * window].view(n, window).t()  # (T, B): each column a window, read from a zero state
    y = ids[1 : n * window + 1].view(n, window).t()
    model.eval()
    with torch.no_grad():
        return float(nn.functional.cross_entropy(model(x)[0].flatten(0, 1), y.flatten()))


def _b4_run(train_ids: torch.Tensor, val_ids: torch.Tensor, vocab_size: int, seconds: float) -> dict:
    """One B4 training run of at most ``seconds`` (seed 0), scored on the whole validation text."""
    torch.manual_seed(0)
    model = CharLM(vocab_size, **B4_MODEL)
    history = fit_char_lm(
        model,
        train_ids,
        steps=10**9,  # stopped by time
        max_seconds=seconds,
        val_ids=val_ids[:B4_EVAL_CHARS],
        eval_every=B4_EVAL_EVERY,
        seed=0,
        **B4_TRAINING,
    )
    start = time.perf_counter()
    val_loss = evaluate_loss(model, val_ids)
    return {
        "val_loss": val_loss,
        "val_perplexity": math.exp(val_loss),
        "val_loss_windows_64": _windowed_loss(model, val_ids, 64),
        "seconds": history.seconds,
        "eval_seconds": time.perf_counter() - start,
        "parameters": sum(p.numel() for p in model.parameters()),
        "steps": history.steps,
        "characters_read": history.steps * B4_TRAINING["batch_size"] * B4_TRAINING["seq_len"],
        "curve": {
            "eval_characters": B4_EVAL_CHARS,
            "steps": history.val_steps,
            "seconds": history.val_seconds,
            "val_loss": history.val_loss,
        },
    }


def b4_char_lm(seconds: float = B4_SECONDS, repeats: int = REPEATS) -> dict:
    """B4, run ``repeats`` times (the same seed: on a shared machine the steps made in the budget vary); the median."""
    text = load_shakespeare()
    vocab = CharVocab(text)
    train_text, val_text = split_text(text, validation_fraction=0.1)  # nanoGPT's split
    train_ids, val_ids = vocab.encode(train_text), vocab.encode(val_text)
    runs = [_b4_run(train_ids, val_ids, len(vocab), seconds) for _ in range(repeats)]
    median = sorted(runs, key=lambda run: run["val_loss"])[len(runs) // 2]
    return {
        "date": date.today().isoformat(),
        "threads": torch.get_num_threads(),
        **median,  # the median run: its loss, steps and learning curve
        "repeats": [{"val_loss": run["val_loss"], "steps": run["steps"]} for run in runs],
        "train_characters": len(train_ids),
        "val_characters": len(val_ids),
        "model": B4_MODEL,
        "training": {**B4_TRAINING, "max_seconds": seconds, "optimizer": "AdamW, clip 1, warm-up then cosine"},
        "goal": 1.50,
    }


B5_SEEDS = range(5)
B5_POWERS = (-0.35, -0.5)
B5_BAG = {"n_max": 4, "embedding_size": 64, "epochs": 6, "batch_size": 128, "lr": 1e-2}


def _b5_models() -> dict:
    """Validation and test scores of the GRU, the n-gram bag and their average, per power: median, lowest and
    highest over the seeds, and each seed's own (``by_seed``, in the order of B5_SEEDS)."""
    languages, split = _names_split()
    vocabulary = ngram_vocabulary([name for name, _ in split.train], n_max=B5_BAG["n_max"])
    bag_training = {key: B5_BAG[key] for key in ("epochs", "batch_size", "lr")}
    runs = {}
    for power in B5_POWERS:
        for seed in B5_SEEDS:
            start = time.perf_counter()
            gru, _ = fit_name_classifier(split.train, languages, weight_power=power, seed=seed, progress=False)
            gru_seconds = time.perf_counter() - start
            torch.manual_seed(seed)
            bag = NGramClassifier(vocabulary, len(languages), B5_BAG["embedding_size"], n_max=B5_BAG["n_max"])
            start = time.perf_counter()
            fit_name_classifier(
                split.train, languages, model=bag, weight_power=power, seed=seed, progress=False, **bag_training
            )
            bag_seconds = time.perf_counter() - start
            run = {"gru_seconds": gru_seconds, "bag_seconds": bag_seconds}
            for side in ("validation", "test"):
                pairs = getattr(split, side)
                names = [name for name, _ in pairs]
                log_p = {"gru": scores(gru, names).log_softmax(1), "bag": scores(bag, names).log_softmax(1)}
                log_p["both"] = log_p["gru"] + log_p["bag"]
                for model, values in log_p.items():
                    scored = evaluate_predictions(pairs, values.argmax(1), languages)
                    run[f"{model}_{side}"] = [scored.accuracy, scored.balanced_accuracy]
            runs.setdefault(str(power), []).append(run)
            print(f"B5 power {power} seed {seed}: {run}", flush=True)
    summary = {}
    for power, by_seed in runs.items():
        summary[power] = {
            key: {
                "median": [statistics.median(run[key][i] for run in by_seed) for i in range(2)],
                "min": [min(run[key][i] for run in by_seed) for i in range(2)],
                "max": [max(run[key][i] for run in by_seed) for i in range(2)],
            }
            for key in by_seed[0]
            if key.endswith(("validation", "test"))
        }
        summary[power]["gru_seconds"] = statistics.median(run["gru_seconds"] for run in by_seed)
        summary[power]["bag_seconds"] = statistics.median(run["bag_seconds"] for run in by_seed)
        summary[power]["by_seed"] = by_seed
    return {"seeds": len(B5_SEEDS), "bag": B5_BAG, "powers": summary}


def b5_classifier() -> dict:
    sys.path.insert(0, str(ROOT))  # the repository's tools/, beside rnnlib
    from tools.colab_edition import glue_values  # the glued values of an executed notebook, as myst-nb reads them

    path = ROOT / "chapters" / "08_name_classifier.ipynb"
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(notebook, timeout=600, resources={"metadata": {"path": str(path.parent)}}).execute()
    seconds = time.perf_counter() - start
    glued = glue_values(notebook)
    value = {key: float(glued[key]["data"]["text/plain"]) for key in ("acc", "bal", "ceiling_acc", "ceiling_bal")}
    return {
        "date": date.today().isoformat(),
        "threads": torch.get_num_threads(),
        "accuracy": value["acc"],
        "balanced_accuracy": value["bal"],
        "ceiling_accuracy": value["ceiling_acc"],
        "ceiling_balanced_accuracy": value["ceiling_bal"],
        "train_seconds": float(glued["train_seconds"]["data"]["text/plain"]),
        "chapter_seconds": seconds,
        "goal": {"accuracy": 0.82, "balanced_accuracy": 0.55},
        "models": _b5_models(),
    }


def _b5_table(b5: dict) -> list[str]:
    met = b5["accuracy"] >= b5["goal"]["accuracy"] and b5["balanced_accuracy"] >= b5["goal"]["balanced_accuracy"]
    return [
        "",
        (
            "**B5, the name classifier against its ceiling**: chapter 8 executed from top to bottom (the book's "
            f"seed, {b5['threads']} threads), scored once on the leak-free split's test names; measured on "
            f"{b5['date']}"
        ),
        "",
        "| | accuracy | balanced accuracy |",
        "|---|---|---|",
        f"| chapter 8's model | **{b5['accuracy']:.1%}** | **{b5['balanced_accuracy']:.3f}** |",
        f"| ceiling: the best any function of the name can score | {b5['ceiling_accuracy']:.1%} "
        f"| {b5['ceiling_balanced_accuracy']:.3f} |",
        f"| goal | ≥ {b5['goal']['accuracy']:.0%} | ≥ {b5['goal']['balanced_accuracy']:.2f} |",
        "",
        (
            f"Goal {'met' if met else 'not met'}. Training took {b5['train_seconds']:.0f} s of the chapter's "
            f"{b5['chapter_seconds']:.0f} s. The ceiling is below 100 % because some spellings are listed under "
            "several languages (almost every Scottish name is also an English one): a model that sees only the "
            "name gives each spelling one answer."
        ),
        *(_b5_models_table(b5["models"], b5["goal"]) if "models" in b5 else []),
    ]


def _b5_models_table(models: dict, goal: dict) -> list[str]:
    bag = models["bag"]
    label = {
        "gru": "GRU (`NameClassifier`)",
        "bag": "bag of letter n-grams (`NGramClassifier`)",
        "both": "the two averaged",
    }

    def cell(scored: dict, i: int, percent: bool) -> str:
        form = "{:.1%}" if percent else "{:.3f}"
        low, high = (form.format(scored[end][i]) for end in ("min", "max"))
        return f"{form.format(scored['median'][i])} ({low}–{high})"

    rows, met = [], []  # met: (side, row) for the rows whose medians meet both goals
    for power, by_model in models["powers"].items():
        for model in ("gru", "bag", "both"):
            val, test = by_model[f"{model}_validation"], by_model[f"{model}_test"]
            rows.append(
                f"| {power} | {label[model]} | {cell(val, 0, True)} | {cell(val, 1, False)} "
                f"| {cell(test, 0, True)} | {cell(test, 1, False)} |"
            )
            for side, scored in (("validation", val), ("test", test)):
                if scored["median"][0] >= goal["accuracy"] and scored["median"][1] >= goal["balanced_accuracy"]:
                    lowest = f"lowest over the seeds {scored['min'][0]:.1%} and {scored['min'][1]:.3f}"
                    met.append((side, f"{label[model]} at power {power}, {lowest}"))
    seconds = ", ".join(
        f"{by_model['gru_seconds']:.0f} s and {by_model['bag_seconds']:.0f} s at power {power}"
        for power, by_model in models["powers"].items()
    )
    return [
        "",
        (
            f"**Beside it: a model with no memory, and the two averaged.** {models['seeds']} seeds of each model, "
            "trained with `fit_name_classifier` on the same training names: the GRU with its defaults (10 epochs, "
            f"one-cycle schedule); a bag of letter n-grams of 1 to {bag['n_max']} letters with vectors of "
            f"{bag['embedding_size']} ({bag['epochs']} epochs, batches of {bag['batch_size']}); and the two averaged "
            "(the sum of their log-probabilities). Median over the seeds, lowest and highest in brackets, for two "
            "class-weight powers. A power is chosen on the validation columns; the test columns are shown for "
            "every row here because this table measures, it chooses nothing."
        ),
        "",
        "| power | model | validation accuracy | validation balanced | test accuracy | test balanced |",
        "|---|---|---|---|---|---|",
        *rows,
        "",
        (
            f"Median training time, GRU and bag: {seconds}. Rows whose medians meet both goals: on the validation "
            f"names, {'; '.join(row for side, row in met if side == 'validation') or 'none'}; on the test names, "
            f"{'; '.join(row for side, row in met if side == 'test') or 'none'}. The test columns are read here, "
            "not used to choose."
        ),
    ]


def _b4_table(b4: dict) -> list[str]:
    model, training, curve = b4["model"], b4["training"], b4["curve"]
    verdict = "goal met" if b4["val_loss"] <= b4["goal"] else "goal not met"
    return [
        "",
        (
            f"**B4, can an RNN match a small transformer?** Tiny Shakespeare, nanoGPT's split (first 90 % of the "
            f"characters to train, last 10 % to validate); {b4['threads']} threads, at most "
            f"{training['max_seconds']:.0f} s of training; measured on {b4['date']}"
        ),
        "",
        "| model | parameters | training | validation loss (nats/char) |",
        "|---|---|---|---|",
        "| nanoGPT, CPU configuration (4-layer transformer, width 128; its README) | about 0.8 M "
        "| about 3 min, laptop CPU | 1.88 |",
        "| nanoGPT, baby GPT (6-layer transformer, width 384, context 256; its README) | "
        "| about 3 min, one A100 GPU | 1.4697 |",
        (
            f"| `CharLM`: {model['num_layers']}-layer {model['cell'].upper()}, hidden {model['hidden_size']}, "
            f"embedding {model['embedding_dim']}, dropout {model['dropout']} | {b4['parameters']:,} "
            f"| {b4['seconds']:.0f} s, {b4['steps']:,} steps of {training['batch_size']} x {training['seq_len']} "
            f"characters | **{b4['val_loss']:.3f}** |"
        ),
        *(
            [
                "| the same `CharLM`, scored as nanoGPT scores: windows of 64 characters, each from a zero state "
                f"| | | {b4['val_loss_windows_64']:.3f} |"
            ]
            if "val_loss_windows_64" in b4
            else []
        ),
        "",
        *(
            [
                f"Run {len(b4['repeats'])} times, one after the other, with the same seed; the table gives the "
                "median run. Each run's loss and steps: "
                + ", ".join(f"{r['val_loss']:.3f} ({r['steps']:,} steps)" for r in b4["repeats"])
                + ". On a shared machine the steps made in three minutes vary, and with them the loss.",
                "",
            ]
            if "repeats" in b4
            else []
        ),
        (
            f"Goal ≤ {b4['goal']:.2f} (on the median run): {verdict} "
            f"(perplexity {b4['val_perplexity']:.2f}; "
            f"the whole validation text, {b4['val_characters']:,} characters, scored in {b4['eval_seconds']:.1f} s "
            f"after training). Training read {b4['characters_read']:,} characters, "
            f"{b4['characters_read'] / b4['train_characters']:.1f} times the training text; AdamW at lr "
            f"{training['lr']}, weight decay {training['weight_decay']}, gradient norm clipped at 1, warm-up then "
            f"a cosine to {training.get('lr_floor', 0.1):g} times lr, following the time."
        ),
        "",
        (
            f"Learning curve (validation loss on the first {curve['eval_characters']:,} validation "
            "characters at each checkpoint, against the seconds of training; the checkpoints' time counts in the "
            "budget):"
        ),
        "",
        "| step | seconds | validation loss (subset) |",
        "|---|---|---|",
        *(
            f"| {step:,} | {sec:.0f} | {loss:.3f} |"
            for step, sec, loss in zip(curve["steps"], curve["seconds"], curve["val_loss"], strict=True)
        ),
    ]


def write_table(results: dict) -> str:
    b1, b2, b3 = results["B1"], results["B2"], results["B3"]
    lines = [
        f"Measured on {results['machine']} (Python {results['python']}, torch {results['torch']}),",
        (
            "with `.venv/bin/python benchmarks/run.py`: B1 on "
            f"{b1.get('date', results['date'])}, B2 and B3 on {results.get('b2_b3_date', results['date'])}. "
            "Ratios compare measurements taken side by side in one run."
        ),
        "",
        (
            f"**B1, time to accuracy** (leak-free split: trained on its training names, scored on its "
            f"validation names; {b1['threads']} thread; median of {b1['repeats']} interleaved repeats)"
        ),
        "",
        "| recipe | held-out accuracy | seconds (median) |",
        "|---|---|---|",
        (
            f"| original tutorial, {b1['old_steps']:,} single names | {b1['old_accuracy']:.1%} "
            f"| {b1['old_seconds_median']:.1f} |"
        ),
    ]
    if b1["new_seconds_to_reach_median"]:
        lines.append(
            f"| rnnlib trainer, until it matches ({b1['new_epochs_to_reach']} of 10 epochs) "
            f"| ≥ {b1['old_accuracy']:.1%} | {b1['new_seconds_to_reach_median']:.1f} |"
        )
        lines += [
            "",
            (
                f"Speed-up to the same accuracy (ratio of the medians): **{b1['speedup']:.1f}×** "
                f"(goal: ≥ 10×). The full 10 epochs reach {b1['new_final_accuracy']:.1%} in "
                f"{b1['new_total_seconds_median']:.1f} s (median)."
            ),
        ]
        ratios = [r["old_seconds"] / r["new_seconds_to_reach"] for r in b1.get("runs", []) if r["new_seconds_to_reach"]]
        if ratios:
            lines += ["", "Each repeat's own ratio: " + ", ".join(f"{x:.1f}×" for x in ratios) + "."]
    lines += [
        "",
        "**B2, throughput**: forward + backward, batch 64, 20 steps, 57 inputs, hidden 128 (median)",
        "",
        "| implementation | ms per batch | ratio to `nn.RNN` |",
        "|---|---|---|",
        f"| `torch.nn.RNN` + `nn.Linear` | {b2['median_ms']['torch']:.2f} | 1.00 |",
        f"| corrected cell as a layer (`unroll_layer`: input and readout products outside the loop) "
        f"| {b2['median_ms']['layer']:.2f} | {b2['layer_over_torch']:.2f} (goal ≤ 1.2) |",
        f"| corrected cell stepped with `unroll_cell` | {b2['median_ms']['corrected']:.2f} "
        f"| {b2['corrected_over_torch']:.2f} |",
        f"| article's class, Python loop | {b2['median_ms']['article']:.2f} | {b2['article_over_torch']:.2f} |",
        "",
        "**B3, execution time**",
        "",
        "| notebook | seconds |",
        "|---|---|",
        *(f"| `{name}` | {seconds:.1f} |" for name, seconds in b3["chapters_seconds"].items()),
        f"| **whole test suite** ({b3['suite_summary']}) | {b3['suite_seconds']:.0f} |",
    ]
    if "B4" in results:
        lines += _b4_table(results["B4"])
    if "B5" in results:
        lines += _b5_table(results["B5"])
    return "\n".join(lines) + "\n"


def main(only: list[str]) -> None:
    torch.set_num_threads(2)
    benches = {
        "B1": b1_time_to_accuracy,
        "B2": b2_throughput,
        "B3": b3_execution_times,
        "B4": b4_char_lm,
        "B5": b5_classifier,
    }
    unknown = set(only) - set(benches)
    if unknown:
        raise SystemExit(f"unknown benchmark(s) {sorted(unknown)}; choose from {list(benches)}")
    path = ROOT / "benchmarks" / "results.json"
    previous = json.loads(path.read_text()) if only and path.exists() else {}
    results = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} threads",
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
    if only:  # keep the benchmarks not rerun, with the date they were measured
        results["b2_b3_date"] = previous.get("b2_b3_date", previous.get("date"))
        results.update({key: previous[key] for key in benches if key not in only and key in previous})
    for key, bench in benches.items():
        if only and key not in only:
            continue
        print(f"running {key} ...", flush=True)
        results[key] = bench()
        print(json.dumps(results[key], indent=1, default=str), flush=True)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (ROOT / "benchmarks" / "results.md").write_text(write_table(results))
    print((ROOT / "benchmarks" / "results.md").read_text())


if __name__ == "__main__":
    main(sys.argv[1:])
