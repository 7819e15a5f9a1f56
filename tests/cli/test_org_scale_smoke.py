"""The company-size benchmark's smoke mode: 200 generated trainees, every HR and trainer page
timed a few times, each answering."""

from benchmarks import org_scale


def test_a_small_generated_company_gets_every_page_answered(capsys):
    [pages] = org_scale.main(["--smoke"]).values()
    assert len(pages) == 10
    for label, found in pages.items():
        assert found["statuses"] == {200}, label
        assert len(found["total"]) == 3 and all(seconds > 0 for seconds in found["total"])
    printed = capsys.readouterr().out
    assert "generated 200 trainees" in printed and "first byte" in printed
