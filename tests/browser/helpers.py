"""What the browser tests share: how Chromium is launched, a page with its window and language, signing in,
a person with a role, and the small framework of the assessment cycle (test_cycle, test_narrow, the
`cycle_world` fixture in conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

CHROMIUM = "/usr/bin/chromium"  # Debian's package (`make system-deps`), not Playwright's own download
# Headless in a container without user namespaces (--no-sandbox) and without a GPU; no updates, no
# first-run pages and no background requests, so that a test neither waits on nor needs the internet.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
PASSWORD = "pw"  # every person the fixtures create

FRAMEWORK = """
code: cycle-so
name: Bộ chỉ số kiểm thử trình duyệt
source: {document: "02/QĐ-TEST"}
year: 2024
levels: [{code: so, name: "Sở, ban, ngành"}]
indicators:
  - code: "1"
    name: Nhận thức số
    children:
      - code: "1.1"
        name: Trưởng ban Ban chỉ đạo chuyển đổi số
        max_points: 10
        evidence: Quyết định thành lập Ban chỉ đạo
        inputs:
          - {var: truong_ban, label: Trưởng ban, type: choice, options: [{value: giam_doc, label: Giám đốc}, {value: khac, label: Khác}]}
        rule: {kind: choice, field: truong_ban, scores: [{option: giam_doc, share: 1}]}
      - code: "1.2"
        name: Người đứng đầu chủ trì các cuộc họp về chuyển đổi số
        max_points: 10
        inputs:
          - {var: a, label: Số cuộc họp có Giám đốc chủ trì, type: count}
          - {var: b, label: Tổng số cuộc họp, type: count}
        constraints: [{check: "a <= b"}]
        rule: {kind: ratio, value: "a / b"}
      - code: "1.3"
        name: Ban hành kế hoạch chuyển đổi số
        max_points: 10
        inputs: [{var: co, label: Đã ban hành kế hoạch, type: yes_no}]
        rule: {kind: yes_no, field: co}
"""


def accept(dialog: Any) -> None:
    """An `on_dialog` handler: irreversible steps ask first; the person says yes."""
    dialog.accept()


def new_page(browser: Any, *, width: int = 1280, height: int = 900, locale: str = "vi-VN",
             timeout: float | None = 15000, on_dialog: Callable[[Any], None] | None = None) -> Any:
    """A page in a context of its own (its own cookies: one person). timeout=None keeps Playwright's default;
    without on_dialog, Playwright dismisses every dialog."""
    page = browser.new_context(viewport={"width": width, "height": height}, locale=locale).new_page()
    if timeout is not None:
        page.set_default_timeout(timeout)
    if on_dialog is not None:
        page.on("dialog", on_dialog)
    return page


def sign_in(page: Any, base: str, username: str, password: str = PASSWORD) -> Any:
    """Signs in through the login form and waits for the home page."""
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def signed_in_page(browser: Any, base: str, username: str, **options: Any) -> Any:
    """new_page(browser, **options), signed in as username."""
    return sign_in(new_page(browser, **options), base, username)


def make_user(username: str, role: str | None = None, unit: Any = None, *, include_subtree: bool = False,
              full_name: str = "") -> Any:
    """A person who signs in with PASSWORD, with one role (none when role is None)."""
    from django.contrib.auth import get_user_model

    from dti.accounts.models import RoleAssignment

    account = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=full_name)
    if role:
        RoleAssignment.objects.create(user=account, role=role, unit=unit, include_subtree=include_subtree)
    return account
