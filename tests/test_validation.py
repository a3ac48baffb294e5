import pytest

from therapybrain._validation import check_choice

CHOICES = ["hippocampus", "dentate_gyrus", "amygdala"]


def test_exact_and_normalised_names_match():
    assert check_choice("hippocampus", CHOICES, "region") == "hippocampus"
    assert check_choice("  Dentate Gyrus ", CHOICES, "region") == "dentate_gyrus"
    assert check_choice("dentate-gyrus", CHOICES, "region") == "dentate_gyrus"


def test_typo_names_closest_and_all_choices():
    with pytest.raises(ValueError) as info:
        check_choice("hipocampus", CHOICES, "region")
    message = str(info.value)
    assert "unknown region 'hipocampus'; did you mean 'hippocampus'?" in message
    for choice in CHOICES:
        assert f"'{choice}'" in message


def test_nonsense_lists_choices_without_a_guess():
    with pytest.raises(ValueError) as info:
        check_choice("zzzz", CHOICES, "region")
    assert "did you mean" not in str(info.value)
    assert "Valid regions: 'hippocampus'" in str(info.value)


def test_non_string_is_a_type_error():
    with pytest.raises(TypeError, match="must be a name"):
        check_choice(3, CHOICES, "region")


@pytest.mark.parametrize(("kind", "plural"), [
    ("study", "studies"),            # a word in -y: -ies
    ("hemisphere", "hemispheres"),   # -s
    ("atlas", "atlases"),            # a word in -s: -es
])
def test_the_valid_choices_are_named_in_the_plural(kind, plural):
    with pytest.raises(ValueError, match=rf"^unknown {kind} 'up'\. Valid {plural}: 'left', 'right'\.$"):
        check_choice("up", ["left", "right"], kind)
    with pytest.raises(TypeError, match=rf"Valid {plural}: 'left', 'right'\.$"):
        check_choice(3, ["left", "right"], kind)


def test_a_plural_given_is_used():
    with pytest.raises(ValueError, match=r"Valid analyses: 'left', 'right'\.$"):
        check_choice("up", ["left", "right"], "analysis", plural="analyses")
