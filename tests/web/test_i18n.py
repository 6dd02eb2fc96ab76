from django.conf import settings
from django.urls import reverse


def test_vietnamese_by_default_even_with_english_browser(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("results:ranking", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert 'lang="vi"' in html and "Kết quả xếp hạng" in html
    assert "47,5" in html


def test_english_when_chosen(client, users, campaign, submitted):
    client.force_login(users["assessment_admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("results:ranking", args=[campaign.pk])).content.decode()
    assert 'lang="en"' in html and "Ranking" in html
    assert "47.5" in html


def test_dates_are_day_month_year(client, users, campaign):
    client.force_login(users["assessment_admin"])
    html = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert campaign.entry_deadline.strftime("%d/%m/%Y") in html


def test_thousands_are_grouped_vietnamese_style():
    from django.utils import translation

    from dti.site.templatetags.dti import num

    with translation.override("vi"):
        assert num(1234.5) == "1.234,5"
        assert num(2.0) == "2"
    with translation.override("en"):
        assert num(1234.5) == "1,234.5"


def test_login_page_in_vietnamese(client):
    assert "Đăng nhập" in client.get(reverse("accounts:login")).content.decode()


def catalogue_entries(path):
    """(msgid, [msgstr…], flags) of every live entry of a .po file (obsolete '#~' entries skipped)."""
    import ast

    entries, flags, strings, key = [], set(), {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if strings.get("msgid"):
                entries.append((strings["msgid"], [v for k, v in strings.items() if k.startswith("msgstr")], flags))
            flags, strings, key = set(), {}, None
        elif line.startswith("#,"):
            flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith(("msgid", "msgstr", "msgctxt")):
            key, _, text = line.partition(" ")
            strings[key] = ast.literal_eval(text)
        elif line.startswith('"') and key:
            strings[key] += ast.literal_eval(line)
    return entries


def english_catalogue():
    from pathlib import Path

    import dti

    return Path(dti.__file__).parent / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalogue_has_every_message_translated_and_none_fuzzy():
    entries = catalogue_entries(english_catalogue())
    assert len(entries) > 400  # the parser read the catalogue, not an empty file
    untranslated = [msgid for msgid, msgstrs, _ in entries if not msgstrs or not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_english_catalogue_matches_the_po_file():
    """compilemessages was run after the last translation: every msgid is in the .mo, with its text."""
    import gettext

    po = english_catalogue()
    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgstrs, _ in catalogue_entries(po):
        if len(msgstrs) == 1:
            assert compiled.gettext(msgid) == msgstrs[0]
        else:  # English plural forms: [0] for one, [1] for the rest
            assert [compiled.ngettext(msgid, msgid, n) for n in (1, 5)] == msgstrs


def test_publication_confirmation_page_in_english(client, users, campaign, submitted):
    from dti.review.services import approve

    from .conftest import sub

    approve(sub(campaign, "so-b"), user=users["assessment_admin"])
    client.force_login(users["assessment_admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("campaigns:publish", args=[campaign.pk])).content.decode()
    assert "The results of 1 approved unit will be published." in html
    assert "2 units are not approved and will not be published:" in html
    assert "I have checked the list and confirm publication." in html
    assert "chưa được phê duyệt" not in html and "xác nhận công bố" not in html


def test_entry_conflict_and_refusal_messages_in_english(client, users, campaign, submission, fill):
    from dti.submissions.services import approve_by_leader

    from .test_entry_conflicts import entry_url, form_of

    fill(submission)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(users["leader"])
    page_leader = form_of(client, campaign)
    client.force_login(users["reporter"])
    client.post(entry_url(campaign), {**form_of(client, campaign), "f:1.2.a": "2"})
    client.force_login(users["leader"])
    html = client.post(entry_url(campaign), {**page_leader, "f:1.2.a": "1"}).content.decode()
    assert "Not saved — conflict:" in html
    assert "bientap.so-a saved “2” at" in html and "The value you entered (“1”) was not saved" in html
    assert "1 field was not saved because someone else has just saved a different value" in html
    assert "xung đột" not in html

    page_reporter = form_of(client, campaign)
    approve_by_leader(submission, user=users["leader"])
    client.force_login(users["reporter"])
    html = client.post(entry_url(campaign), {**page_reporter, "f:1.3.co": "0"}, follow=True).content.decode()
    assert "The submission was approved by the leader (lanhdao.so-a, " in html
    assert "What you just entered was not saved." in html
