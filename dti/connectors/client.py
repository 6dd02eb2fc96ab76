"""Reading a platform's endpoint: JSON or CSV over HTTP, with a timeout; every failure named in Vietnamese."""

from __future__ import annotations

import csv
import io
import json
import socket
import urllib.error
import urllib.request

MAX_BYTES = 20 * 1024 * 1024


class FetchFailed(Exception):
    """The platform did not give usable data; the message says why (shown to administrators)."""


def fetch_rows(url: str, *, fmt: str, timeout: float) -> list[dict]:
    """The endpoint's records as dicts: JSON (a list, or ``{"data": [...]}``) or CSV with a header row."""
    request = urllib.request.Request(url, headers={"Accept": "application/json, text/csv", "User-Agent": "dti"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (administrators set the URL)
            body = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise FetchFailed(f"Nền tảng trả lỗi HTTP {exc.code}.") from None
    except TimeoutError:
        raise FetchFailed(f"Nền tảng không trả lời trong {timeout:g} giây.") from None
    except urllib.error.URLError as exc:
        if isinstance(exc.reason, (TimeoutError, socket.timeout)):
            raise FetchFailed(f"Nền tảng không trả lời trong {timeout:g} giây.") from None
        raise FetchFailed(f"Không kết nối được tới nền tảng: {exc.reason}.") from None
    except (OSError, ValueError) as exc:
        raise FetchFailed(f"Không đọc được dữ liệu từ nền tảng: {exc}.") from None
    if len(body) > MAX_BYTES:
        raise FetchFailed("Dữ liệu trả về quá lớn (trên 20 MB).")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FetchFailed("Dữ liệu trả về không phải văn bản UTF-8.") from None
    return _parse_json(text) if fmt == "json" else _parse_csv(text)


def _parse_json(text: str) -> list[dict]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FetchFailed(f"Dữ liệu trả về không phải JSON hợp lệ ({exc.msg}, dòng {exc.lineno}).") from None
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list) or not all(isinstance(row, dict) for row in data):
        raise FetchFailed("JSON cần là một danh sách bản ghi (hoặc {\"data\": [...]}).")
    return data


def _parse_csv(text: str) -> list[dict]:
    try:
        return list(csv.DictReader(io.StringIO(text)))
    except csv.Error as exc:
        raise FetchFailed(f"Tệp CSV sai cú pháp: {exc}.") from None
