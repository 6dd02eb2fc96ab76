"""The long entry form finds its way: contents by pillar, filters' data, error summary, returned items, the place kept."""

import re

from django.urls import reverse

from .conftest import GOOD


def entry_url(campaign, code="so-a"):
    return reverse("submissions:entry", args=[campaign.pk, code])


def article(html: str, anchor: str) -> str:
    """The opening tag of an indicator's article."""
    return re.search(rf'<article [^>]*id="{anchor}"[^>]*>', html).group(0)


def test_contents_lists_pillars_with_completion_counts(client, users, campaign, submission, fill):
    fill(submission, {"1.1.truong_ban": "giam_doc", "1.3.co": "1"})
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    toc = html[html.index('aria-labelledby="toc-title"'):]
    assert re.search(r'href="#p-1"[^>]*><span>1\. Nhận thức số</span>\s*<span class="count"[^>]*>2/3</span>', toc)
    assert re.search(r'href="#p-2"[^>]*><span>2\. Dịch vụ công trực tuyến</span>\s*<span class="count"[^>]*>0/1', toc)
    assert 'id="p-1"' in html and 'id="p-2"' in html  # the jump targets exist


def test_indicators_carry_their_filter_words(client, users, campaign, submission, fill):
    fill(submission, {"1.1.truong_ban": "giam_doc", "1.2.a": "5", "1.2.b": "x"})
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    assert 'data-filters="noevidence"' in article(html, "i-1-1")
    assert 'data-filters="empty noevidence errors"' in article(html, "i-1-2")
    assert 'data-filters="empty noevidence"' in article(html, "i-1-3")
    assert 'data-pillar="2"' in article(html, "i-2-1")
    for word in ("empty", "returned", "noevidence", "errors"):
        assert f'data-filter="{word}"' in html  # the filter buttons (shown by JavaScript)
    assert "data-next-empty" in html


def test_error_summary_links_each_error_to_its_field(client, users, campaign, submission):
    client.force_login(users["reporter"])
    client.post(entry_url(campaign), {"f:1.2.a": "ba cuộc", "f:1.2.b": "4", "f:1.3.co": "", "o:f:1.2.a": "",
                                      "o:f:1.2.b": ""})
    html = client.get(entry_url(campaign)).content.decode()
    summary = html[html.index('id="error-summary"'):html.index("</ul>", html.index('id="error-summary"'))]
    assert '<a href="#f-1-2-a" data-focus-field>1.2 · Số cuộc họp có Giám đốc chủ trì</a>' in summary
    assert "không phải là số" in summary
    assert 'aria-describedby="f-1-2-a-err"' in html and 'id="f-1-2-a-err"' in html


def test_constraint_problem_is_in_the_summary_linking_the_indicator(client, users, campaign, submission, fill):
    fill(submission, {"1.2.a": "5", "1.2.b": "4"})
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    assert '<a href="#pv-i-1-2" data-focus-field>1.2 · Kiểm tra số liệu</a>' in html


def test_form_without_errors_has_no_summary(client, users, campaign, submission, fill):
    fill(submission)
    client.force_login(users["reporter"])
    assert 'id="error-summary"' not in client.get(entry_url(campaign)).content.decode()


def test_refused_save_focuses_the_summary_and_starts_unsaved(client, users, campaign, submission):
    client.force_login(users["reporter"])
    html = client.post(entry_url(campaign), {"f:1.2.a": "1\x002", "o:f:1.2.a": ""}).content.decode()
    assert re.search(r'id="error-summary"[^>]*data-focus', html)
    assert re.search(r'<form id="entry-form"[^>]*data-unsaved data-dirty', html)  # the typed text is not stored


def test_editable_form_asks_before_leaving_and_a_locked_one_does_not(client, users, units, campaign, submitted,
                                                                    make_user):
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    assert "data-unsaved" not in html  # submitted: nothing to lose
    client.force_login(make_user("bientap.so-c", "reporter", units["so-c"]))
    html = client.get(entry_url(campaign, "so-c")).content.decode()
    assert re.search(r'<form id="entry-form"[^>]*data-unsaved>', html)
    assert "dti/unsaved.js" in html


def test_returned_banner_links_the_returned_items(client, users, campaign, submitted):
    from dti.review.services import return_item, send_back

    return_item(submitted, "1.2", user=users["reviewer"], comment="Bổ sung biên bản")
    return_item(submitted, "2.1", user=users["reviewer"], comment="Bổ sung số liệu")
    send_back(submitted, user=users["reviewer"])
    client.force_login(users["reporter"])
    html = client.get(entry_url(campaign)).content.decode()
    banner = html[html.index("Hồ sơ bị trả lại"):]
    banner = banner[:banner.index("</div>")]
    assert '<a href="#i-1-2">1.2 Người đứng đầu chủ trì các cuộc họp về chuyển đổi số</a>' in banner
    assert '<a href="#i-2-1">2.1' in banner and "#i-1-1" not in banner
    assert "returned" in article(html, "i-1-2") and 'data-filters="returned' in article(html, "i-2-1")


def test_save_returns_to_the_indicator_in_view(client, users, campaign):
    client.force_login(users["reporter"])
    response = client.post(entry_url(campaign), {**{f"f:{k}": v for k, v in GOOD.items()}, "anchor": "i-2-1"})
    assert response["Location"] == entry_url(campaign) + "#i-2-1"


def test_save_ignores_an_anchor_that_is_not_an_indicator(client, users, campaign):
    client.force_login(users["reporter"])
    response = client.post(entry_url(campaign), {"f:1.2.a": "1", "anchor": "javascript:alert(1)"})
    assert response["Location"] == entry_url(campaign)
