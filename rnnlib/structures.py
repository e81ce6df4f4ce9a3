"""The five input/output structures of a recurrent network, as data.

A feed-forward network maps one input to one output. A recurrent network
reads and writes sequences, and *when* it reads and writes gives the five
classic structures. Each is described here by two masks over time steps:
``inputs[t]`` says whether an input arrives at step ``t``, ``outputs[t]``
whether an output is read off at step ``t``. The hidden state exists at
every step. :mod:`rnnlib.diagrams` draws these specs; chapter 1 runs each
one with ``torch.nn.RNN``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IOStructure:
    """When a recurrent network reads inputs and writes outputs.

    Raises:
        ValueError: if the masks differ in length, are empty, or never read
            or never write.
    """

    name: str
    """Short name, e.g. ``"many-to-one"``."""
    example: str
    """A task with this structure, e.g. ``"name → language"``."""
    inputs: tuple[bool, ...]
    """``inputs[t]``: an input arrives at step ``t``."""
    outputs: tuple[bool, ...]
    """``outputs[t]``: an output is produced at step ``t``."""

    def __post_init__(self) -> None:
        if len(self.inputs) != len(self.outputs):
            raise ValueError(
                f"{self.name}: inputs and outputs must cover the same steps, "
                f"got {len(self.inputs)} and {len(self.outputs)}"
            )
        if not self.inputs:
            raise ValueError(f"{self.name}: a structure needs at least one time step")
        if not any(self.inputs) or not any(self.outputs):
            raise ValueError(f"{self.name}: a structure must read at least one input and write one output")

    @property
    def steps(self) -> int:
        """The number of time steps drawn."""
        return len(self.inputs)

    @property
    def n_inputs(self) -> int:
        """How many steps receive an input."""
        return sum(self.inputs)

    @property
    def n_outputs(self) -> int:
        """How many steps produce an output."""
        return sum(self.outputs)


def _mask(steps: int, on: range) -> tuple[bool, ...]:
    return tuple(t in on for t in range(steps))


#: The five structures, in the order of Karpathy's well-known figure.
STRUCTURES: tuple[IOStructure, ...] = (
    IOStructure("one-to-one", "image → class (no recurrence)", _mask(1, range(1)), _mask(1, range(1))),
    IOStructure("one-to-many", "language → a generated name", _mask(4, range(1)), _mask(4, range(4))),
    IOStructure("many-to-one", "name → language", _mask(4, range(4)), _mask(4, range(3, 4))),
    IOStructure("many-to-many", "translation: read all, then write", _mask(6, range(3)), _mask(6, range(3, 6))),
    IOStructure("synchronised many-to-many", "label every frame of a video", _mask(4, range(4)), _mask(4, range(4))),
)
