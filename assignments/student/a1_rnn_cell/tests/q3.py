from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=1, hidden=False)
def test_q3_course_example(rnn_parameter_count, torch):
    expected = sum((p.numel() for p in torch.nn.RNN(57, 128).parameters()))
    got = rnn_parameter_count(57, 128)
    assert got == expected, f'rnn_parameter_count(57, 128) should be {expected} (a layer reading 57 letters into 128 units), got {got!r}'

