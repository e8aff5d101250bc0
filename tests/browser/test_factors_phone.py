"""The office's 要素保障 list and funding totals at phone size: the page never scrolls
sideways (the list's rows and the totals become cards, each cell named by its column, so
the deadline and the state are on the screen, not past its edge), and the overdue need is
marked; the problem register's rows are cards too. Screenshots go to docs/screenshots/phone-factor-needs.png and
phone-funding.png."""

from .conftest import overflow


def test_the_factor_needs_and_funding_pages_fit_the_phone(phone):
    phone.login("office")
    page = phone.page
    phone.goto("/factors/?quarter=2013-Q2")
    assert overflow(page) <= 0
    # The two unmet needs of the 2013 story are past their deadlines today; the met one is not.
    assert page.locator("#factor-needs tbody tr.overdue").count() == 2
    assert page.locator("#factor-needs tbody tr").count() == 3
    assert page.locator("#factor-needs thead").is_hidden()  # rows are cards
    card = page.locator("#factor-needs tbody tr.overdue").first
    for header in ("解决时限", "状态"):
        cell = card.locator("td", has=page.locator(".cell-label", has_text=header)).first
        assert cell.is_visible()
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (header, box)
    # The met need's card leaves out its blank 逾期 cell instead of showing the header alone.
    met = page.locator("#factor-needs tbody tr:not(.overdue)")
    blank = met.locator("td", has=page.locator(".cell-label", has_text="逾期"))
    assert blank.count() == 1 and blank.is_hidden()
    assert card.locator("td", has=page.locator(".cell-label", has_text="逾期")).is_visible()
    assert page.locator("a.button", has_text="用地清单（Excel）").is_visible()
    phone.screenshot("phone-factor-needs", full_page=True)
    phone.goto("/funding/")
    assert overflow(page) <= 0
    assert page.locator("#funding-zones thead").is_hidden()  # rows are cards
    assert page.locator("#funding-received").inner_text() == "107,000.00"
    phone.screenshot("phone-funding", full_page=True)
    phone.goto("/problems/?year=2013&month=6")
    assert overflow(page) <= 0
    assert page.locator("table.stack thead").is_hidden()
    phone.screenshot("phone-problems", full_page=True)
    assert phone.problems == []
