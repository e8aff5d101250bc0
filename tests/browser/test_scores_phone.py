"""考核评分 on a phone (390×844): the score table's rows become cards, nothing scrolls
sideways, and each measure's value, points, weight and weighted points stay readable."""

from .conftest import overflow


def test_the_score_table_fits_the_phone(phone):
    phone.login("observer")
    page = phone.page
    phone.goto("/scores/?year=2013&quarter=2")
    assert overflow(page) <= 0
    assert page.locator("#scores-official thead").is_hidden()  # rows are cards
    first = page.locator("#scores-official tbody.score").first
    assert first.locator(".score-total").inner_text() not in ("", "—")
    card = first.locator("tr[data-measure]").first.bounding_box()
    assert card["width"] <= 390
    assert first.locator("tr[data-measure] .cell-label", has_text="加权得分").first.is_visible()
    phone.screenshot("phone-scores", full_page=True)
