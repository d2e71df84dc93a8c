"""Accessibility audits with axe-core (vendored by scripts/provision.sh) in a Playwright page."""

from __future__ import annotations

from functools import cache

from playwright.sync_api import Error as PlaywrightError

from tests.services import AXE_JS

BLOCKING_IMPACTS = ("serious", "critical")
AXE_BUSY_RETRIES = 40


@cache
def _axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(page) -> list[dict]:
    """Inject axe-core into the page and return its violations (all impacts)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content-Security-Policy
        # does not govern: an injected <script> tag would be blocked, as it should be.
        page.evaluate(_axe_source())
    # Staff pages carry Wagtail's userbar, which runs its own axe check after loading: ours
    # waits for it to end (axe refuses two runs at once).
    for _attempt in range(AXE_BUSY_RETRIES):
        try:
            return page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            )
        except PlaywrightError as error:
            if "Axe is already running" not in str(error):
                raise
            page.wait_for_timeout(250)
    raise AssertionError(f"axe stayed busy on {page.url}")


def describe(violations: list[dict]) -> str:
    """A readable report: rule, impact, help, and each offending element."""
    lines: list[str] = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']}"
            f" [{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node.get("target", []))
            lines.append(f"    at {target}: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, label: str | None = None) -> list[dict]:
    """Fail on serious or critical violations, printing all of them; return the minor ones."""
    violations = axe_violations(page)
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    if violations:
        print(f"axe on {label or page.url}:\n{describe(violations)}")
    assert not blocking, (
        f"{len(blocking)} serious or critical accessibility violation(s) on "
        f"{label or page.url}:\n{describe(blocking)}"
    )
    return violations
