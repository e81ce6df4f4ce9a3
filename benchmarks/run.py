"""Benchmarks of the course: measurements, not tests. Run from the repository root:

    .venv/bin/python benchmarks/run.py

The names data is found as everywhere in the course (RNNLIB_DATA, the cache,
or a download); on the course's offline machines run it with
RNNLIB_DATA=../shared/data. It writes benchmarks/results.md (included in the book as the "Benchmarks"
page) and benchmarks/results.json. Compare only numbers from one run: the
machines are shared and noisy, so every comparison is a ratio of two
measurements taken side by side, in the same process.

B1  time to accuracy: the original tutorial's recipe (the article's class,
    hidden 128, plain SGD at 0.005, 100,000 single names with the language
    picked uniformly) against rnnlib's batched trainer, which is stopped at
    the end of the first epoch whose held-out accuracy reaches the recipe's
    final accuracy. Both on the leak-free split.
B2  throughput, forward + backward, batch 64, 20 steps, 57 inputs, hidden
    128: the from-scratch layer (rnnlib.article.run_layer), the corrected
    cell and the article's class stepped one call per step, against
    torch.nn.RNN + nn.Linear. Median of interleaved repeats.
B3  execution time of every chapter notebook, and of the whole test suite.
"""

from __future__ import annotations

import json
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rnnlib.article import ArticleRNN, CorrectedRNN, LastStepClassifier, run_cell, run_layer  # noqa: E402
from rnnlib.classifier import evaluate, fit_name_classifier  # noqa: E402
from rnnlib.data import N_LETTERS, load_names, name_to_tensor, split_names  # noqa: E402


def b1_time_to_accuracy(steps: int = 100_000) -> dict:
    data = load_names()
    languages = data.languages
    split = split_names(data, test_fraction=0.2, seed=0)
    by_language = {lang: [n for n, l in split.train if l == lang] for lang in languages}
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
    old_seconds = time.perf_counter() - start

    old_accuracy = evaluate(LastStepClassifier(rnn), split.test, languages).accuracy

    _, history = fit_name_classifier(split.train, languages, epochs=10, seed=0, eval_pairs=split.test, progress=False)
    new_total = history.epoch_seconds[-1]
    reached = next((e for e, acc in enumerate(history.epoch_accuracy, start=1) if acc >= old_accuracy), None)
    new_seconds = history.epoch_seconds[reached - 1] if reached else None
    return {
        "old_steps": steps, "old_seconds": old_seconds, "old_accuracy": old_accuracy,
        "new_epochs_to_reach": reached, "new_seconds_to_reach": new_seconds,
        "new_final_accuracy": history.epoch_accuracy[-1], "new_total_seconds": new_total,
        "speedup": old_seconds / new_seconds if new_seconds else None,
    }  # fmt: skip


def b2_throughput(repeats: int = 30) -> dict:
    torch.manual_seed(0)
    xs = torch.randn(20, 64, N_LETTERS)
    rnn, readout = nn.RNN(N_LETTERS, 128), nn.Linear(128, 18)
    corrected, article = CorrectedRNN(N_LETTERS, 128, 18), ArticleRNN(N_LETTERS, 128, 18)

    def torch_step():
        states, _ = rnn(xs)
        readout(states).sum().backward()

    def corrected_step():
        run_cell(corrected, xs)[0].sum().backward()

    def layer_step():
        run_layer(corrected, xs)[0].sum().backward()

    def article_step():
        run_cell(article, xs)[0].sum().backward()

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
    return {"chapters_seconds": chapters, "suite_seconds": time.perf_counter() - start,
            "suite_summary": suite.stdout.strip().splitlines()[-1] if suite.stdout else ""}  # fmt: skip


def write_table(results: dict) -> str:
    b1, b2, b3 = results["B1"], results["B2"], results["B3"]
    lines = [
        f"Measured on {results['date']} on {results['machine']} (Python {results['python']}, torch {results['torch']}),",
        "with `.venv/bin/python benchmarks/run.py`. Ratios compare measurements taken side by side in one run.",
        "",
        "**B1, time to accuracy** (leak-free held-out split)",
        "",
        "| recipe | held-out accuracy | seconds |",
        "|---|---|---|",
        f"| original tutorial, {b1['old_steps']:,} single names | {b1['old_accuracy']:.1%} | {b1['old_seconds']:.1f} |",
    ]
    if b1["new_seconds_to_reach"]:
        lines.append(
            f"| rnnlib trainer, until it matches ({b1['new_epochs_to_reach']} of 10 epochs) "
            f"| ≥ {b1['old_accuracy']:.1%} | {b1['new_seconds_to_reach']:.1f} |"
        )
        lines += ["", f"Speed-up to the same accuracy: **{b1['speedup']:.0f}×** (goal: ≥ 10×). "
                  f"The full 10 epochs reach {b1['new_final_accuracy']:.1%} in {b1['new_total_seconds']:.1f} s."]  # fmt: skip
    lines += [
        "",
        "**B2, throughput**: forward + backward, batch 64, 20 steps, 57 inputs, hidden 128 (median)",
        "",
        "| implementation | ms per batch | ratio to `nn.RNN` |",
        "|---|---|---|",
        f"| `torch.nn.RNN` + `nn.Linear` | {b2['median_ms']['torch']:.2f} | 1.00 |",
        f"| corrected cell as a layer (`run_layer`: input and readout products outside the loop) "
        f"| {b2['median_ms']['layer']:.2f} | {b2['layer_over_torch']:.2f} (goal ≤ 1.2) |",
        f"| corrected cell stepped with `run_cell` | {b2['median_ms']['corrected']:.2f} | {b2['corrected_over_torch']:.2f} |",
        f"| article's class, Python loop | {b2['median_ms']['article']:.2f} | {b2['article_over_torch']:.2f} |",
        "",
        "**B3, execution time**",
        "",
        "| notebook | seconds |",
        "|---|---|",
        *(f"| `{name}` | {seconds:.1f} |" for name, seconds in b3["chapters_seconds"].items()),
        f"| **whole test suite** ({b3['suite_summary']}) | {b3['suite_seconds']:.0f} |",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    torch.set_num_threads(2)
    results = {
        "date": date.today().isoformat(),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} threads",
        "python": platform.python_version(),
        "torch": torch.__version__,
    }
    for key, bench in (("B1", b1_time_to_accuracy), ("B2", b2_throughput), ("B3", b3_execution_times)):
        print(f"running {key} ...", flush=True)
        results[key] = bench()
        print(json.dumps(results[key], indent=1, default=str), flush=True)
    (ROOT / "benchmarks" / "results.json").write_text(json.dumps(results, indent=1) + "\n")
    (ROOT / "benchmarks" / "results.md").write_text(write_table(results))
    print((ROOT / "benchmarks" / "results.md").read_text())


if __name__ == "__main__":
    main()
