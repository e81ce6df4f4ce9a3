import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

from rnnlib.plots import plot_memory_shares  # noqa: E402


def test_one_bar_segment_per_word_and_step():
    share = torch.tensor([[1.0, 0, 0], [0.4, 0.6, 0], [0.2, 0.3, 0.5]])
    ax = plot_memory_shares(share, ["a", "b", "c"], title="t")
    heights = [round(p.get_height(), 6) for p in ax.patches]
    assert len(heights) == 9
    assert sorted(heights) == sorted(round(v, 6) for v in share.T.flatten().tolist())
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1. a", "2. b", "3. c"]
    plt.close(ax.figure)


def test_shape_must_match_the_words():
    with pytest.raises(ValueError, match=r"shape \(2, 2\) for 2 words"):
        plot_memory_shares(torch.ones(3, 3), ["a", "b"])
