"""The pull connector against a fake platform on loopback: good JSON and CSV, timeouts, bad JSON, 500s.

The platform is a real HTTP server on 127.0.0.1 (a free port) started by the test; dti fetches
it with its own client, so the whole path — socket, timeout, parsing, mapping, save — runs.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dti.connectors.jobs import pull_due, pull_source
from dti.connectors.models import Fetch, PlatformValue, Source
from dti.connectors.services import pull
from dti.submissions.models import Value
from dti.submissions.services import save_entry

from .conftest import sub

GOOD_JSON = {"data": [{"ma_don_vi": "so-a", "ho_so": 120, "hop": "7"},
                      {"ma_don_vi": "so-b", "ho_so": None, "hop": ""},
                      {"ma_don_vi": "khong-co", "ho_so": 5}]}
GOOD_CSV = "ma_don_vi,ho_so,hop\nso-a,130,8\nso-c,40,\n"


class Platform(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's name)
        if self.path == "/slow":
            time.sleep(1.5)
        status, kind, body = {
            "/good.json": (200, "application/json", json.dumps(GOOD_JSON)),
            "/good.csv": (200, "text/csv", GOOD_CSV),
            "/bad.json": (200, "application/json", '{"data": [{"ma_don_vi": "so-a", '),
            "/not-a-list.json": (200, "application/json", '{"so-a": 1}'),
            "/error": (500, "text/plain", "Internal Server Error"),
            "/slow": (200, "application/json", json.dumps(GOOD_JSON)),
        }.get(self.path, (404, "text/plain", "not found"))
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (the timeout case)

    def log_message(self, *args):
        pass


@pytest.fixture
def platform():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Platform)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def source(campaign, platform):
    def make(path, fmt="json", **extra):
        return Source.objects.create(campaign=campaign, platform="Hue-S", url=f"{platform}{path}", format=fmt,
                                     unit_key="ma_don_vi", mapping={"2.1.a": "ho_so", "1.2.b": "hop"},
                                     timeout_seconds=0.5, **extra)
    return make


def raw(campaign, code, field):
    value = Value.objects.filter(submission=sub(campaign, code), field=field).first()
    return value.raw if value else None


def test_good_json_is_written_and_marked(users, campaign, source):
    fetch = pull(source("/good.json"))
    assert fetch.ok and fetch.rows == 3 and fetch.changed == 2
    assert raw(campaign, "so-a", "2.1.a") == "120" and raw(campaign, "so-a", "1.2.b") == "7"
    marks = PlatformValue.objects.filter(submission=sub(campaign, "so-a"))
    assert {m.field for m in marks} == {"2.1.a", "1.2.b"} and {m.platform for m in marks} == {"Hue-S"}


def test_empty_cells_are_never_zero(users, campaign, source):
    fetch = pull(source("/good.json"))
    assert raw(campaign, "so-b", "2.1.a") is None  # null in the platform's data: nothing written
    assert fetch.skipped["so-b"] == "Không có giá trị nào."
    assert fetch.skipped["khong-co"] == "Đơn vị không tham gia đợt đánh giá."


def test_good_csv(users, campaign, source):
    fetch = pull(source("/good.csv", fmt="csv"))
    assert fetch.ok and raw(campaign, "so-a", "2.1.a") == "130" and raw(campaign, "so-c", "2.1.a") == "40"
    assert raw(campaign, "so-c", "1.2.b") is None


@pytest.mark.parametrize("path, message", [
    ("/slow", "Nền tảng không trả lời trong 0.5 giây."),
    ("/bad.json", "Dữ liệu trả về không phải JSON hợp lệ"),
    ("/not-a-list.json", "JSON cần là một danh sách bản ghi"),
    ("/error", "Nền tảng trả lỗi HTTP 500."),
])
def test_a_failed_fetch_is_recorded_and_changes_nothing(users, campaign, source, fill, path, message):
    a = sub(campaign, "so-a")
    fill(a, {"2.1.a": "99"})
    fetch = pull(source(path))
    assert not fetch.ok and fetch.error.startswith(message)
    assert fetch.finished_at is not None and fetch.changed == 0
    assert raw(campaign, "so-a", "2.1.a") == "99"  # the unit's own value stays; never a zero
    assert not PlatformValue.objects.exists()


def test_unreachable_platform_is_recorded(users, campaign, source):
    src = source("/good.json")
    src.url = "http://127.0.0.1:1/data.json"
    src.save()
    fetch = pull(src)
    assert not fetch.ok and fetch.error.startswith("Không kết nối được tới nền tảng")


def test_platform_values_are_locked_for_manual_editing(users, campaign, source):
    pull(source("/good.json"))
    outcome = save_entry(sub(campaign, "so-a"), user=users["reporter"], values={"2.1.a": "1", "1.2.a": "3"})
    assert "Hue-S" in outcome.rejected["f:2.1.a"][1]
    assert raw(campaign, "so-a", "2.1.a") == "120" and raw(campaign, "so-a", "1.2.a") == "3"


def test_a_locked_submission_is_skipped_with_the_reason(users, campaign, source, submitted):
    fetch = pull(source("/good.json"))
    assert fetch.ok and "khóa" in fetch.skipped["so-a"]
    assert raw(campaign, "so-a", "2.1.a") == "100"  # what the unit submitted


def test_due_sources_are_pulled_once_per_interval(users, campaign, source, settings):
    settings.DTI_REDIS_URL = ""  # in process
    src = source("/good.json", every_minutes=60)
    assert pull_due() == 1 and Fetch.objects.filter(source=src).count() == 1
    assert pull_due() == 0  # not due again for an hour
    assert pull_source(src.pk) is not None and Fetch.objects.count() == 2


def test_entry_form_shows_the_origin_and_locks_the_input(client, users, campaign, source):
    pull(source("/good.json"))
    client.force_login(users["reporter"])
    page = client.get(f"/campaigns/{campaign.pk}/units/so-a/").content.decode()
    assert "Tự động từ Hue-S, cập nhật" in page
    field = page[page.index('name="f:2.1.a"'):]
    assert field[:field.index(">")].count("disabled") == 1


def test_a_failed_fetch_tells_the_administrator_who_declared_it(users, campaign, source):
    from dti.notifications.models import Notification

    fetch = pull(source("/error", created_by=users["assessment_admin"]))
    note = Notification.objects.get(user=users["assessment_admin"], kind="connector")
    assert note.key == f"fetch:{fetch.pk}" and "Hue-S" in note.title and "HTTP 500" in note.body


def test_api_read_shows_the_origin(users, campaign, source):
    from .api_helpers import api_as

    pull(source("/good.json"))
    values = api_as(users["reporter"]).get(f"/campaigns/{campaign.pk}/units/so-a/values").json()["values"]
    assert values["2.1.a"]["origin"].startswith("Tự động từ Hue-S, cập nhật")
    assert values.get("1.2.a") is None or values["1.2.a"]["origin"] is None


def test_scorecard_marks_indicators_from_a_platform(client, users, campaign, source):
    pull(source("/good.json"))
    client.force_login(users["reporter"])
    page = client.get(f"/campaigns/{campaign.pk}/results/so-a/").content.decode()
    row = page[page.index('<span class="code">2.1</span>'):]
    assert row[:row.index("</td>")].count("Tự động từ Hue-S, cập nhật") == 1
    other = page[page.index('<span class="code">1.1</span>'):]
    assert "Tự động từ" not in other[:other.index("</td>")]
