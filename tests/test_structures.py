import pytest

from rnnlib.structures import STRUCTURES, IOStructure


def test_the_five_structures_in_order():
    assert [s.name for s in STRUCTURES] == [
        "one-to-one",
        "one-to-many",
        "many-to-one",
        "many-to-many",
        "synchronised many-to-many",
    ]


def test_each_structure_reads_and_writes_as_its_name_says():
    by_name = {s.name: s for s in STRUCTURES}
    one, gen, clf, seq2seq, sync = (by_name[n] for n in by_name)
    assert (one.steps, one.n_inputs, one.n_outputs) == (1, 1, 1)
    assert gen.n_inputs == 1 and gen.n_outputs == gen.steps > 1
    assert clf.n_inputs == clf.steps > 1 and clf.n_outputs == 1 and clf.outputs[-1]
    # seq2seq reads everything before it writes anything
    last_read = max(t for t in range(seq2seq.steps) if seq2seq.inputs[t])
    first_write = min(t for t in range(seq2seq.steps) if seq2seq.outputs[t])
    assert last_read < first_write
    assert all(sync.inputs) and all(sync.outputs) and sync.steps > 1


@pytest.mark.parametrize(
    ("inputs", "outputs", "message"),
    [
        ((True,), (True, False), "same steps"),
        ((), (), "at least one time step"),
        ((False, False), (True, True), "at least one input"),
    ],
)
def test_inconsistent_specs_are_rejected(inputs, outputs, message):
    with pytest.raises(ValueError, match=message):
        IOStructure("bad", "nothing", inputs, outputs)
