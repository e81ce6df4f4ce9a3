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

@test_case(points=1, hidden=False)
def test_q3_contract_errors_accents_determinism(predict, languages):
    for call, error, shown in [(lambda: predict(42), TypeError, 'predict(42)'), (lambda: predict(''), ValueError, "predict('')"), (lambda: predict('Smith', k=0), ValueError, "predict('Smith', k=0)")]:
        try:
            call()
        except error:
            pass
        except Exception as other:
            raise AssertionError(f'{shown} must raise {error.__name__}, it raised {type(other).__name__}: {other}')
        else:
            raise AssertionError(f'{shown} must raise {error.__name__}, it returned normally')
    assert predict('Schön') == predict('Schon'), "predict('Schön') must equal predict('Schon'): convert with unicode_to_ascii"
    assert predict('Nowak') == predict('Nowak'), 'predict gave different answers for the same name: is dropout still on?'

