"""The office's 要素保障 list and funding totals at phone size: the page never scrolls
sideways (the list's wide table scrolls in its own box, the totals become cards), and the
overdue need is marked. Screenshots go to docs/screenshots/phone-factor-needs.png and
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
    assert page.locator("a.button", has_text="用地清单（Excel）").is_visible()
    phone.screenshot("phone-factor-needs", full_page=True)
    phone.goto("/funding/")
    assert overflow(page) <= 0
    assert page.locator("#funding-zones thead").is_hidden()  # rows are cards
    assert page.locator("#funding-received").inner_text() == "107,000.00"
    phone.screenshot("phone-funding", full_page=True)
    assert phone.problems == []
