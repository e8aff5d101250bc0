"""The project list's selects are drawn in Python (thousands of officials at province scale)
but must be the same HTML as Django's."""

import pytest
from django import forms
from django.test.html import parse_html

from projects.web.forms import QuickSelect, QuickSelectMultiple

CHOICES = [("", "---------"), ("1", "陈立新"), ("2", 'A<b>&"c'), ("3", "刘卫东")]


@pytest.mark.parametrize("value", [None, "2", "9"])
def test_a_select_is_the_same_html_as_djangos(value):
    attrs = {"id": "id_lead_official"}
    quick = QuickSelect(choices=CHOICES).render("lead_official", value, attrs)
    django = forms.Select(choices=CHOICES).render("lead_official", value, attrs)
    assert parse_html(quick) == parse_html(django)
    assert "A&lt;b&gt;&amp;&quot;c" in quick  # escaped, not markup


def test_a_multiple_select_keeps_every_chosen_option():
    quick = QuickSelectMultiple(choices=CHOICES[1:]).render("light", ["1", "3"])
    django = forms.SelectMultiple(choices=CHOICES[1:]).render("light", ["1", "3"])
    assert parse_html(quick) == parse_html(django)
    assert quick.count("selected") == 2 and "multiple" in quick


def test_grouped_choices_are_the_same_html_as_djangos():
    choices = [("区领导", [("1", "陈立新"), ("2", "刘卫东")]), ("3", "王红梅")]
    quick = QuickSelect(choices=choices).render("x", "2")
    assert parse_html(quick) == parse_html(forms.Select(choices=choices).render("x", "2"))
