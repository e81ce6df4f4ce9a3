import pytest
import torch

from rnnlib._checks import check_int, check_number, check_tensor


@pytest.mark.parametrize(
    ("check", "value", "error", "message"),
    [
        (check_int, True, TypeError, "n must be an int, got bool"),
        (check_int, 2.0, TypeError, "n must be an int, got float"),
        (check_int, 0, ValueError, "n must be >= 1, got 0"),
        (check_number, "1", TypeError, "n must be a number, got str"),
        (check_number, 1.5, ValueError, "n must be <= 1, got 1.5"),
    ],
)
def test_a_bad_value_is_named_with_what_was_expected(check, value, error, message):
    kwargs = {"minimum": 1} if check is check_int else {"maximum": 1}
    with pytest.raises(error, match=message):
        check("n", value, **kwargs)


def test_a_range_names_both_ends_and_good_values_pass():
    with pytest.raises(ValueError, match="k must be from 1 to 3, got 4"):
        check_int("k", 4, minimum=1, maximum=3)
    check_int("k", 3, minimum=1, maximum=3)
    check_number("p", 0.5, minimum=0, maximum=1)


def test_a_tensor_of_the_wrong_kind_or_rank_is_named_with_its_shape():
    with pytest.raises(TypeError, match=r"x must be a torch.Tensor of shape \(T, B, I\), got list"):
        check_tensor("x", [1.0], 3, "(T, B, I)")
    with pytest.raises(ValueError, match=r"x must have shape \(T, B, I\), got \(2, 3\)"):
        check_tensor("x", torch.zeros(2, 3), 3, "(T, B, I)")
    check_tensor("x", torch.zeros(2, 3, 4), 3, "(T, B, I)")
