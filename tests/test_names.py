import pytest

from rnnlib.data import NamesData, read_names_dir


def test_real_data_has_18_languages_and_every_kept_line(data):
    assert len(data.languages) == 18
    assert data.languages == tuple(sorted(data.languages))
    report = data.report
    skipped = report.skipped_empty + report.skipped_no_letters + report.skipped_not_names
    assert report.lines == len(data.pairs) + skipped, "every line read is kept or counted as skipped"


def test_the_published_junk_lines_are_dropped_counted_and_named(data):
    """Russian.txt as published carries 24 lines scraped with the web page, one with a non-breaking space."""
    assert data.report.skipped_not_names == 24
    assert data.report.not_names == (("To The First\xa0 Page", "Russian.txt"), ("To The First Page", "Russian.txt"))
    assert not [name for name, _ in data.pairs if "Page" in name and "First" in name]


def test_real_data_repeats_names_as_the_issue_says(data):
    arabic = data.names_of("Arabic")
    assert len(arabic) == 2000
    assert len(set(arabic)) == 108


def test_conversion_is_counted_and_shown(data):
    assert data.report.changed > 0
    assert len(data.report.examples) == 5
    for raw, converted in data.report.examples:
        assert raw != converted


def test_an_unknown_language_is_named_with_the_known_ones(data):
    with pytest.raises(KeyError, match="known: Arabic"):
        data.names_of("Klingon")


def test_empty_and_letterless_lines_are_skipped_and_counted(tmp_path):
    (tmp_path / "Spanish.txt").write_text("Núñez\n\n   \n123\n.;\nTo The\xa0First Page\nGarcia\n", encoding="utf-8")
    (tmp_path / "Korean.txt").write_text("Ahn\n", encoding="utf-8")
    data = read_names_dir(tmp_path)
    assert isinstance(data, NamesData)
    assert data.pairs == (("Ahn", "Korean"), ("Nunez", "Spanish"), ("Garcia", "Spanish"))
    assert data.report.lines == 8
    assert data.report.skipped_empty == 2
    assert data.report.skipped_no_letters == 2  # "123" and ".;"
    assert data.report.skipped_not_names == 1
    assert data.report.not_names == (("To The\xa0First Page", "Spanish.txt"),)
    assert data.report.changed == 1
    assert data.report.examples == (("Núñez", "Nunez"),)


def test_a_file_that_is_not_utf8_names_itself(tmp_path):
    (tmp_path / "French.txt").write_bytes("Gérard\n".encode("latin-1"))
    with pytest.raises(ValueError, match=r"French\.txt is not UTF-8"):
        read_names_dir(tmp_path)
