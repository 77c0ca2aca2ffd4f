from conftest import EXAMPLE


def test_example_meeting_validates(run):
    code, out, err = run("validate", EXAMPLE)
    assert code == 0, err
    assert "gyldig" in out
