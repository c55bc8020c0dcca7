"""Company names: one company under the spellings of many lists."""

import pytest

from companies.names import company_key, display_name, split_note


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("AQR Capital Management", "AQR Capital Management, LLC"),
        ("PayPal", "Paypal"),
        ("PayPal", "PayPal, Inc."),
        ("HubSpot", "Hubspot Inc"),
        ("eBay", "Ebay"),
        ("Acme Holdings", "Acme Holdings Co., Ltd."),
        ("Nestlé", "Nestle S.A."),
        ("Siemens", "Siemens AG"),
        ("Deutsche Bank", "Deutsche Bank GmbH"),
        ("Procter & Gamble", "Procter and Gamble Co."),
        ("JPMorgan Chase", "JPMorgan Chase & Co."),
        ("Two Sigma Investments", "Two Sigma Investments, LP"),
        ("Arm", "Arm Ltd"),
        ("Unilever", "Unilever PLC"),
        ("Ark Biotech", "Ark Biotech (Sponsors Canadians)"),
        ("Jane Street", "  jane   street "),
        ("Capital One", "Capital One Corporation"),
        ("Booz Allen Hamilton", "Booz Allen Hamilton Inc."),
        ("D. E. Shaw", "D.E. Shaw"),
    ],
)
def test_spellings_of_one_company_share_a_key(one, other):
    assert company_key(one) == company_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Apple", "Applied Materials"),
        ("Capital One", "One Capital"),
        ("Meta", "Metadata Inc"),
        ("AT&T", "AT"),
    ],
)
def test_different_companies_keep_different_keys(one, other):
    assert company_key(one) != company_key(other)


def test_a_name_that_is_only_a_suffix_or_a_note_keeps_a_key():
    assert company_key("Company") == "company"
    assert company_key("Co") == "co"
    assert split_note("(Stealth)") == ("(Stealth)", "")


@pytest.mark.parametrize(
    ("text", "name", "note"),
    [
        ("Ark Biotech (Sponsors Canadians)", "Ark Biotech", "Sponsors Canadians"),
        ("Acme (US) Robotics", "Acme Robotics", "US"),
        ("Acme [Remote] (Hiring Again)", "Acme", "Remote; Hiring Again"),
        ("Plain Name", "Plain Name", ""),
        ("Acme ()", "Acme", ""),
    ],
)
def test_parenthesised_notes_are_not_part_of_the_name(text, name, note):
    assert split_note(text) == (name, note)


@pytest.mark.parametrize(
    ("spellings", "shown"),
    [
        (["Paypal", "PayPal"], "PayPal"),
        (["PayPal", "Paypal"], "PayPal"),
        (["Paypal", "Paypal", "PayPal"], "Paypal"),
        (["Hubspot", "HubSpot", "HUBSPOT"], "HubSpot"),
        (["Ebay", "eBay"], "eBay"),
        (["ACME", "acme", "Acme"], "Acme"),
        (["AQR Capital Management, LLC", "AQR Capital Management"], "AQR Capital Management"),
        (["Ark Biotech (Sponsors Canadians)", "Ark Biotech (Hiring)"], "Ark Biotech"),
        (["Stripe"], "Stripe"),
        (["", "  "], ""),
        (["Acme Labs", "Acme labs"], "Acme Labs"),
    ],
)
def test_the_name_shown_is_the_spelling_most_sources_use(spellings, shown):
    assert display_name(spellings) == shown
