"""Screenshots of the main pages at 1280 and 390 px into docs/screenshots/ (`make screenshots`).

Starts the demo on its own SQLite file in a temporary var directory and a free port (migrate,
load_demo, runserver), signs in as the demo account each page is for, and captures it with
Playwright and Debian's Chromium.  PNGs are clipped to a reasonable height and, when Pillow is
there, reduced to a 256-colour palette, so that the committed files stay small.

    PYTHONPATH=. .venv/bin/python -m dti.site.screenshots [--out docs/screenshots] [--only ranking]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DTI_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WIDTHS = {1280: 1000, 390: 1400}  # viewport width → its height (what is captured: sticky bars sit at its foot)


@dataclass
class Shot:
    name: str
    user: str
    path: str  # formatted with the ids of the demo's campaigns
    language: str = "vi"
    scroll_to: str = ""  # a CSS selector to bring to the top first (the entry form's first pillar)


SHOTS = [
    Shot("dashboard", "quantri.so-tttt", "/"),
    Shot("entry", "bientap.so-tttt", "/campaigns/{so}/units/so-tttt/", scroll_to=".pillar"),
    Shot("review", "thamdinh.so-tttt", "/campaigns/{so}/units/so-khdt/review/"),
    Shot("ranking", "quantri.so-tttt", "/campaigns/{so}/results/"),
    Shot("scorecard", "quantri.so-tttt", "/campaigns/{so}/results/so-tnmt/"),
    Shot("scorecard-en", "quantri.so-tttt", "/campaigns/{so}/results/so-tnmt/", "en"),
    Shot("maturity-scorecard", "quantri.so-khcn", "/campaigns/{kontum}/results/xa-anhoa/"),
    Shot("kpi-dashboard", "quantri.so-tttt", "/kpi/{kpi}/"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own local server)
            return
        except OSError:
            if time.monotonic() > end:
                raise
            time.sleep(0.3)


def demo_ids(env: dict[str, str]) -> dict[str, int]:
    """The ids of the demo's current Sở campaign, its Kon Tum campaign and its KPI programme."""
    code = (
        "import json; from dti.campaigns.models import Campaign; from dti.kpi.models import Programme\n"
        "so = Campaign.objects.filter(framework__code='hcm-79-so').order_by('-year').first()\n"
        "kt = Campaign.objects.filter(framework__code='kontum-121-2025').first()\n"
        "kpi = Programme.objects.order_by('id').first()\n"
        "print(json.dumps({'so': so.pk if so else 0, 'kontum': kt.pk if kt else 0, 'kpi': kpi.pk if kpi else 0}))"
    )
    out = subprocess.run([sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def shrink(path: Path) -> None:
    """A 256-colour palette PNG: a third of the size for pages of text, no visible change."""
    try:
        from PIL import Image
    except ImportError:  # pragma: no cover - Pillow comes with the dependencies; without it, keep full colour
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        small.save(path, optimize=True)


def capture(base: str, ids: dict[str, int], out: Path, only: set[str]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in WIDTHS.items():
            sessions: dict[tuple[str, str], object] = {}
            for shot in SHOTS:
                if only and shot.name not in only:
                    continue
                key = (shot.user, shot.language)
                page = sessions.get(key)
                if page is None:
                    context = browser.new_context(viewport={"width": width, "height": height}, locale="vi-VN",
                                                  device_scale_factor=1)
                    page = context.new_page()
                    page.set_default_timeout(20000)
                    page.goto(f"{base}/accounts/login/")
                    page.fill("#id_username", shot.user)
                    page.fill("#id_password", "demo")
                    page.click("button[type=submit]")
                    page.wait_for_url(f"{base}/")
                    if shot.language != "vi":
                        if width < 760:
                            page.locator(".menu-button").click()
                        with page.expect_navigation():
                            page.select_option("#lang-select", shot.language)
                    sessions[key] = page
                page.goto(base + shot.path.format(**ids))  # type: ignore[attr-defined]
                page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
                if shot.scroll_to:
                    page.locator(shot.scroll_to).first.evaluate(  # type: ignore[attr-defined]
                        "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 8)")
                full = page.evaluate("document.documentElement.scrollHeight")  # type: ignore[attr-defined]
                path = out / f"{shot.name}-{width}.png"
                # the window as a person sees it; a short page is cut at its end
                page.screenshot(path=str(path), clip={"x": 0, "y": 0, "width": width,  # type: ignore[attr-defined]
                                                      "height": min(full, height)})
                shrink(path)
                written.append(path)
                print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} "
                      f"({path.stat().st_size // 1024} KB)")
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--only", action="append", default=[], help="a shot's name (repeatable)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="dti-screenshots-") as var:
        port = free_port()
        env = {**os.environ, "DTI_DEBUG": "1", "DTI_VAR_DIR": var, "PYTHONPATH": str(ROOT),
               "DTI_SQLITE_PATH": str(Path(var) / "dti.sqlite3"), "DJANGO_SETTINGS_MODULE": "dti.site.settings"}
        env.pop("DATABASE_URL", None)  # always the throwaway SQLite file, never a real database
        for command in (["migrate", "--noinput"], ["load_demo", "--quiet"], ["run_jobs"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
        ids = demo_ids(env)
        server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
                                  cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/accounts/login/")
            capture(base, ids, out, set(args.only))
        finally:
            server.terminate()
            server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())
