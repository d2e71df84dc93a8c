"""Every post goes through markdown then nh3: classic XSS payloads come out inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from community.accounts.models import Role
from forum.markup import render, sanitise
from tests.factories import make_member

from .conftest import make_topic

# OWASP XSS filter evasion cheat sheet style payloads, raw HTML and markdown forms.
PAYLOADS = [
    "<script>alert('XSS')</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<img src=x onerror=alert(1)>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61;alert(1)>",
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<BODY ONLOAD=alert('XSS')>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">x</DIV>",
    "<div style=\"width: expression(alert('XSS'));\">x</div>",
    "<STYLE>@import'https://xss.example/xss.css';</STYLE>",
    '<a href="javascript:alert(1)">clic</a>',
    '<a href="vbscript:msgbox(1)">clic</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">clic</a>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><input type=submit></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>",
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](  javascript:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](java&#x09;script:alert(1))",
    "[clic](vbscript:msgbox(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](javascript:alert(1))",
    "![image](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![image](https://example.org/a.png" onerror="alert(1))',
    '[clic](https://example.org/ "titre" onmouseover="alert(1)")',
    "[ref][1]\n\n[1]: javascript:alert(1)",
    '<https://example.org/" onmouseover="alert(1)>',
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
]

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "form", "input",
    "meta", "body", "details", "link", "base",
}  # fmt: skip
SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):")


class ElementCollector(HTMLParser):
    """The elements and attributes a browser would build from the HTML (not its text)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag


def assert_inert(html: str) -> None:
    collector = ElementCollector()
    collector.feed(html)
    for tag, attrs in collector.elements:
        assert tag not in FORBIDDEN_TAGS, f"<{tag}> in {html!r}"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name} on <{tag}> in {html!r}"
            assert name not in ("style", "srcdoc", "action", "formaction"), html
            if name in ("href", "src", "data"):
                url = "".join((value or "").split()).lower()
                scheme = SCHEME.match(url)
                assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), (
                    f"{name}={value!r} on <{tag}> in {html!r}"
                )


def test_there_are_enough_payloads():
    assert len(PAYLOADS) >= 25


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_rendered_inert(payload):
    assert_inert(render(payload))


def test_plain_markdown_still_works():
    html = render("**gras**, *italique*, [lien](https://www.example.org/) et\n\n- une liste")
    assert "<strong>gras</strong>" in html
    assert "<em>italique</em>" in html
    assert '<a href="https://www.example.org/" rel="nofollow noopener ugc">lien</a>' in html
    assert "<li>une liste</li>" in html


def test_links_get_nofollow_noopener_ugc():
    assert 'rel="nofollow noopener ugc"' in render("[a](https://example.org/)")


@pytest.mark.django_db
def test_a_stored_post_is_sanitised_in_the_topic_page(client_for, forums, elected_user):
    payload = (
        "<script>alert('forum')</script> [clic](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    topic = make_topic(forums["public"], elected_user, content=payload)
    response = client_for("anonymous").get(
        reverse(
            "forum_conversation:topic",
            args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
        )
    )
    body = response.content.decode()
    post_html = body.split('class="post-content prose">', 1)[1].split("</div>", 1)[0]
    assert_inert(post_html)
    assert "<script>alert('forum')</script>" not in body


@pytest.mark.django_db
def test_preview_is_sanitised(client_for, forums):
    forum = forums["public"]
    response = client_for("elected").post(
        reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
        {"subject": "Aperçu", "content": "[clic](javascript:alert(1))", "preview": "1"},
    )
    assert response.status_code == 200
    preview = (
        response.content.decode().split('class="post post-preview"', 1)[1].split("</section>")[0]
    )
    assert "javascript:" not in preview
    assert 'href="#"' in preview
    assert not forum.topics.exists()


@pytest.mark.parametrize("payload", [p for p in PAYLOADS if p.lstrip().startswith("<")])
def test_the_sanitiser_alone_neutralises_raw_html(payload):
    """Defence in depth: even HTML that markdown let through unescaped comes out inert."""
    assert_inert(sanitise(payload))


# Mentions become links after sanitising: the payloads below try to use that step.
MENTION_PAYLOADS = [
    "@[<script>alert(1)</script>]({handle})",
    "@[x]({handle})<script>alert(1)</script>",
    "@[x](javascript:alert(1))",
    "[clic](@[x]({handle}))",
    "[clic](javascript:@[x]({handle}))",
    "[@[x]({handle})](javascript:alert(1))",
    "![@[x]({handle})](javascript:alert(1))",
    '![image](https://example.org/a.png "@[x]({handle})")',
    "<a href='@[x]({handle})'>clic</a>",
    '<img src=x title="@[x]({handle})" onerror=alert(1)>',
    "`@[x]({handle})` et ```\n@[x]({handle})\n```",
    "<@[x]({handle})>",
    "[ref][1]\n\n[1]: @[x]({handle})",
]


@pytest.fixture
def hostile_member(db):
    """A member whose display name is itself a payload."""
    return make_member(Role.ELECTED, display_name='"><img src=x onerror=alert(1)> Zoé')


@pytest.mark.django_db
@pytest.mark.parametrize("payload", MENTION_PAYLOADS)
def test_mention_payload_is_rendered_inert(payload, hostile_member):
    html = render(payload.format(handle=f"#u{hostile_member.pk}"))
    assert_inert(html)
    # A mention never lands inside another tag, never opens a link inside a link.
    assert html.count("<a ") == html.count("</a>")
    assert "<a" not in "".join(re.findall(r"<a [^>]*>(.*?)</a>", html))


@pytest.mark.django_db
def test_a_hostile_display_name_is_shown_as_text(hostile_member):
    html = render(f"Bonjour @[Zoé](#u{hostile_member.pk})")
    assert_inert(html)
    assert html == (
        f'<p>Bonjour <a class="mention" href="/forum/member/profile/{hostile_member.pk}/">'
        "@&quot;&gt;&lt;img src=x onerror=alert(1)&gt; Zoé</a></p>"
    )


@pytest.mark.django_db
def test_a_mention_in_a_link_or_code_is_not_a_nested_link(hostile_member):
    handle = f"@[Zoé](#u{hostile_member.pk})"
    html = render(f"[voir {handle}](https://example.org/) et `{handle}`")
    assert 'class="mention"' not in html
    assert "<code>" + handle + "</code>" in html
