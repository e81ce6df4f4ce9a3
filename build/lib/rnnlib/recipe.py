"""The braised-pork-ribs task: remember the dish named at the start of a long sentence.

"Today I want to make braised pork ribs, first I need to prepare the ribs,
then ..., finally the delicious dish is ready. Which dish?" Each sequence
starts with one of a few dishes, continues with ``length`` filler words
chosen at random, and ends with a query token. The answer is the dish: the
only useful information is the very first token, so the task measures
nothing but how far back a network can carry information.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

#: The dishes a recipe can name; the first is the one the story is about.
DISHES = ("braised pork ribs", "spicy chicken", "steamed fish", "mapo tofu", "fried rice", "dumplings")

#: Filler words that say nothing about the dish.
FILLERS = (
    "first", "I", "need", "to", "prepare", "wash", "then", "chop", "the", "ginger",
    "add", "a", "little", "sugar", "stir", "slowly", "wait", "taste", "and", "finally",
)  # fmt: skip

QUERY = "which dish?"


@dataclass(frozen=True)
class RecipeTask:
    """Sequences of ``1 + length + 1`` tokens: a dish, ``length`` fillers, the query.

    Token ids: dishes ``0 ... n_dishes - 1``, fillers after them, the query last.

    Raises:
        ValueError: if ``length`` < 0, or ``n_dishes`` / ``n_fillers`` exceed
            the words available.
    """

    length: int
    n_dishes: int = 4
    n_fillers: int = 20

    def __post_init__(self) -> None:
        if self.length < 0:
            raise ValueError(f"length must be >= 0, got {self.length}")
        if not 2 <= self.n_dishes <= len(DISHES):
            raise ValueError(f"n_dishes must be from 2 to {len(DISHES)}, got {self.n_dishes}")
        if not 1 <= self.n_fillers <= len(FILLERS):
            raise ValueError(f"n_fillers must be from 1 to {len(FILLERS)}, got {self.n_fillers}")

    @property
    def vocab_size(self) -> int:
        """Dishes, fillers and the query token."""
        return self.n_dishes + self.n_fillers + 1

    @property
    def query(self) -> int:
        """The id of the query token."""
        return self.vocab_size - 1

    def sample(self, batch_size: int, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
        """Draw ``batch_size`` sequences.

        Returns:
            ``(tokens, dishes)``: ``tokens`` of shape ``(length + 2, batch_size)``
            (time first, int64) and the answers ``dishes`` of shape ``(batch_size,)``.
        """
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        dishes = torch.randint(0, self.n_dishes, (batch_size,), generator=generator)
        fillers = torch.randint(self.n_dishes, self.n_dishes + self.n_fillers, (self.length, batch_size), generator=generator)
        query = torch.full((1, batch_size), self.query)
        return torch.cat([dishes.unsqueeze(0), fillers, query]), dishes

    def words(self, tokens: torch.Tensor) -> str:
        """Spell out one sequence of shape ``(length + 2,)`` as a sentence."""
        vocabulary = [*DISHES[: self.n_dishes], *FILLERS[: self.n_fillers], QUERY]
        return " ".join(vocabulary[int(t)] for t in tokens)
