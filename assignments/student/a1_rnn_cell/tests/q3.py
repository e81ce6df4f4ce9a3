from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=1, hidden=False)
def test_q3_course_example(rnn_parameter_count, torch):
    for n_in, n_hid in [(57, 128), (2, 3)]:
        expected = sum((p.numel() for p in torch.nn.RNN(n_in, n_hid).parameters()))
        got = rnn_parameter_count(n_in, n_hid)
        assert got == expected, f'rnn_parameter_count({n_in}, {n_hid}) should be {expected}, got {got!r}'

