"""The error summary of the return and draw pages follows the design system's pattern: first in
<main>, focused on load, each problem linked to where it is."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse

from scrutiny.fieldwork import services
from tests.fieldwork.helpers import import_return, return_csv

pytestmark = pytest.mark.django_db

SUMMARY_OPENS = re.compile(r'<div class="ds_error-summary"[^>]*>')


def _main(html: str) -> str:
    return html[html.index('<main id="main-content"') : html.index("</main>")]


def _summary_first_in_main(html: str) -> str:
    main = _main(html)
    assert len(SUMMARY_OPENS.findall(main)) == 1, "one error summary"
    after_main_tag = main[main.index(">") + 1 :].lstrip()
    opening = SUMMARY_OPENS.match(after_main_tag)
    assert opening is not None, "the error summary opens <main>"
    assert 'tabindex="-1"' in opening[0] and "autofocus" in opening[0]
    return main


def test_the_draw_page_summary_tops_main_and_links_the_margin_to_its_field(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a return to sample from
    When a margin of 0.7 is entered
    Then the summary comes first in <main>, is focused, and links to the margin field,
    which shows the message beside it
    """
    import_return(inspection_a, cast.lead_a, 40)
    response = as_user(cast.inspector_a).post(
        reverse("fieldwork:sample-draw", args=[inspection_a.pk]),
        {
            "confidence": "0.9",
            "margin": "0.7",
            "size": "10",
            "minimum": "0",
            "template": services.default_template().pk,
        },
    )
    assert response.status_code == 200
    main = _summary_first_in_main(response.text)
    message = "The margin of error must be more than 0 and at most 0.5 (50%), not 0.7."
    assert f'<a href="#id_margin">Margin of error: {message}</a>' in main
    assert f'<p class="ds_question__error-message" id="id_margin_error">{message}</p>' in main


def test_the_return_page_summary_tops_main_and_links_to_the_problems_listed_below(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a return with a problem
    When it is imported
    Then the summary saying the problems are listed below comes first in <main>, is focused,
    and links to the list of problems, which does come below it
    """
    bad = io.BytesIO(return_csv(5) + b"cp_register,,2015-03,,female,,2025-01-01,,\n")
    bad.name = "return.csv"
    response = as_user(cast.lead_a).post(
        reverse("fieldwork:return", args=[inspection_a.pk]), {"file": bad, "as_at": "2026-01-31"}
    )
    assert response.status_code == 200
    main = _summary_first_in_main(response.text)
    assert '<a href="#problems-heading">return.csv was not imported: 1 problem' in main
    assert main.index("ds_error-summary") < main.index('id="problems-heading"')


def test_the_return_page_links_a_missing_file_to_the_file_field(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    response = as_user(cast.lead_a).post(
        reverse("fieldwork:return", args=[inspection_a.pk]), {"as_at": "2026-01-31"}
    )
    main = _summary_first_in_main(response.text)
    assert '<a href="#id_file">Pre-inspection return: This field is required.</a>' in main


def test_the_reading_page_summary_lists_every_problem_of_both_forms(
    cast: Any, inspection_a: Any, as_user: Any
) -> None:
    """
    Given a record to read
    When a reading is saved with -5 months known and a pair that does not exist
    Then one summary comes first in <main>, focused, linking to both fields
    """
    from tests.fieldwork.helpers import drawn_sample

    sample = drawn_sample(inspection_a, cast.inspector_a, size=3)
    record = sample.records.order_by("reference")[0]
    response = as_user(cast.inspector_a).post(
        reverse("fieldwork:reading-record", args=[inspection_a.pk, record.pk]),
        {"months-known": "-5", "meta-pair": "999999"},
    )
    assert response.status_code == 200
    main = _summary_first_in_main(response.text)
    assert '<a href="#id_months-known">' in main
    assert '<a href="#id_meta-pair">Reading pair: ' in main
