"""The workshop's widgets in a real browser: JupyterLab, headless Chromium, loopback only.

Each test opens a module in JupyterLab, runs it, moves a slider with the keyboard and reads
the result from the page: the perception-ladder form of M5 and the weight sliders of M1. It follows
``shared/browser-testing.md``: Debian's ``/usr/bin/chromium`` driven by Playwright (which
downloads no browser), every request that does not go to 127.0.0.1 aborted, a free port,
private settings, workspaces, runtime and temporary folders, the news toast switched off,
the kernel's *Idle* status awaited before *Run All*, and everything stopped at the end.
It is skipped when Playwright or Chromium is missing.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from kamkit.plan import ladder
from kamkit.workshop.modules import module_notebooks
from kamkit.workshop.widgets import ladder_text
from tests.conftest import ROOT

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1"]
LOOPBACK = {"127.0.0.1", "localhost"}
#: Generous bounds: a cold kernel on a busy two-core machine, never an endless wait.
SERVER_START_S = 90
KERNEL_IDLE_MS = 120_000
RUN_ALL_MS = 180_000
UPDATE_MS = 30_000

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _write_settings(folder: Path) -> None:
    """No news toast, no update check, no autosave (the copy must stay as it is)."""
    files = {
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    }
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content), encoding="utf-8")


def _wait_for_server(url: str, proc: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail("JupyterLab exited:\n" + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(url + "api/status", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)  # polling a port: there is no event to wait for
    pytest.fail("JupyterLab did not answer in time:\n" + log.read_text(errors="replace")[-3000:])


def _stop(proc: subprocess.Popen, url: str) -> None:
    """Ask the server to shut down (it stops its kernels), then make sure it is gone."""
    if proc.poll() is None:
        try:
            request = urllib.request.Request(url + "api/shutdown", method="POST", data=b"")
            urllib.request.urlopen(request, timeout=10).close()
        except (urllib.error.URLError, OSError):
            proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def _route(route) -> None:  # noqa: ANN001 - playwright's Route
    host = urlsplit(route.request.url).hostname or ""
    if host in LOOPBACK:
        route.continue_()
    else:
        route.abort()


@contextlib.contextmanager
def _run_in_jupyterlab(code: str) -> Iterator[tuple[object, object]]:
    """Open module ``code`` in JupyterLab, run all its cells, yield ``(page, expect)``.

    Server, browser and every file they write live in a private folder that is removed
    at the end; the whole round trip is bounded.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium (CI installs Debian's chromium)")
    notebook = module_notebooks()[code]

    # Short private folder: Unix socket paths must stay short, and nothing of the
    # browser or the server may land in the shared temp dir or the checkout.
    scratch = Path(tempfile.mkdtemp(prefix="kk-lab-"))
    root = scratch / "root"
    (root / "notebooks" / "workshop").mkdir(parents=True)
    shutil.copy2(notebook, root / "notebooks" / "workshop" / notebook.name)
    shutil.copytree(ROOT / "datasets" / "company_x", root / "datasets" / "company_x")
    settings, workspaces = scratch / "settings", scratch / "workspaces"
    _write_settings(settings)
    for name in ("tmp", "runtime", "config", "ipython", "workspaces"):
        (scratch / name).mkdir(exist_ok=True)
    env = dict(os.environ, TMPDIR=str(scratch / "tmp"), PYTHONPATH=str(ROOT),
               JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
               JUPYTER_CONFIG_DIR=str(scratch / "config"), IPYTHONDIR=str(scratch / "ipython"),
               MPLBACKEND="Agg")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "jupyterlab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", "--IdentityProvider.token=",
               f"--ServerApp.root_dir={root}",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
               "--LabApp.news_url=None", "--LabApp.extension_manager=readonly",
               f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={workspaces}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    log = scratch / "jupyterlab.log"
    started = time.monotonic()
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                cwd=root, start_new_session=True)
    try:
        _wait_for_server(url, proc, log)
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS,
                                         env={**env, "HOME": str(scratch)})
            try:
                context = browser.new_context(viewport={"width": 1400, "height": 1000})
                context.route("**/*", _route)
                page = context.new_page()
                page.goto(f"{url}lab/tree/notebooks/workshop/{notebook.name}")
                expect = sync_api.expect
                # The toolbar may say idle while the session is still starting: wait for
                # the status bar's kernel item instead.
                expect(page.get_by_text("Python 3 (ipykernel) | Idle")).to_be_visible(
                    timeout=KERNEL_IDLE_MS)
                page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
                page.locator(".lm-Menu-itemLabel").get_by_text(
                    "Run All Cells", exact=True).click()
                expect(page.locator(".jp-InputPrompt").filter(
                    has_text=r"[*]").or_(page.locator(".jp-InputPrompt").filter(
                        has_text="[1]")).first).to_be_attached(timeout=UPDATE_MS)
                yield page, expect
            finally:
                browser.close()
    finally:
        _stop(proc, url)
        shutil.rmtree(scratch, ignore_errors=True)
    # Bounded: the whole round trip, server start to shutdown.
    assert time.monotonic() - started < 400


@pytest.mark.timeout(420)
def test_ladder_slider_moves_the_assessment_in_jupyterlab():
    with _run_in_jupyterlab("M5") as (page, expect):
        form = page.locator(".kamkit-ladder").first
        result = form.locator(".kamkit-ladder-result")
        start = dict.fromkeys(ladder.QUESTIONS, 3)
        first_line = ladder_text(ladder.assess(start)).splitlines()[0]
        expect(result).to_contain_text(first_line, timeout=RUN_ALL_MS)

        # Price focus is the first slider: 3 -> 5 with the keyboard.
        handle = form.locator(".widget-slider [role=slider]").first
        handle.focus()
        handle.press("ArrowRight")
        handle.press("ArrowRight")
        moved = ladder.assess(start | {"price_focus": 5})
        assert moved.step == "commodity_broker"
        for line in ladder_text(moved).splitlines():
            expect(result).to_contain_text(line, timeout=UPDATE_MS)
        assert "Commodity broker" in result.inner_text()


@pytest.mark.timeout(420)
def test_weight_slider_moves_the_key_list_in_jupyterlab():
    """Module M1: a weight slider changes the key accounts the panel shows."""
    from kamkit.data.synth import company_x
    from kamkit.identification import selection as idn
    from kamkit.widgets.identification import panel_state

    p = company_x()
    by_revenue = idn.reweigh(idn.identify(p), p, {"revenue_12m": 1.0})
    start = panel_state(p, by_revenue, {"revenue_12m": 0.5})
    moved = panel_state(p, by_revenue, {"revenue_12m": 0.5, "strategic_role": 0.1})
    joined = moved.changes.loc[moved.changes["change"] == "joined", "account_id"].tolist()
    assert joined, "the move must change the list"
    with _run_in_jupyterlab("M1") as (page, expect):
        expect(page.get_by_text(start.message, exact=True).first).to_be_visible(
            timeout=RUN_ALL_MS)
        slider = page.locator(".widget-slider").filter(has_text="Strategic role").first
        handle = slider.locator("[role=slider]")
        handle.focus()
        handle.press("ArrowRight")
        handle.press("ArrowRight")  # 0 -> 0.10 in steps of 0.05
        panel = page.locator(".widget-output").filter(has_text=moved.message).first
        expect(panel).to_be_visible(timeout=UPDATE_MS)
        for account_id in joined:
            expect(panel).to_contain_text(account_id, timeout=UPDATE_MS)
        expect(panel).to_contain_text("Joined")
