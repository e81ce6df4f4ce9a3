from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 4

@test_case(points=2, hidden=False)
def test_q3_output_contract(predict, languages):
    result = predict('Nakamura')
    assert isinstance(result, list) and len(result) == 3, f"predict('Nakamura') must return a list of 3 pairs, got {result!r}"
    for item in result:
        assert isinstance(item, tuple) and len(item) == 2, f'each item must be a (language, probability) pair, got {item!r}'
        assert item[0] in languages, f'{item[0]!r} is not one of the languages'
        assert isinstance(item[1], float) and 0.0 <= item[1] <= 1.0, f'probability must be a float in [0, 1], got {item[1]!r}'
    probabilities = [p for _, p in result]
    assert probabilities == sorted(probabilities, reverse=True), f'most likely first: got probabilities {probabilities}'
    everything = predict('Nakamura', k=len(languages))
    total = sum((p for _, p in everything))
    assert abs(total - 1.0) < 0.0001, f'with k = all {len(languages)} languages the probabilities must sum to 1, got {total:.6f}'
    assert sorted((lang for lang, _ in everything)) == sorted(languages), 'with k = all languages, each language must appear once'

