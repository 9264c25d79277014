"""Writes small corpora in the real format (front matter, sidecars, CSV registry, PDF, HTML) for tests."""

from __future__ import annotations

from pathlib import Path

DECLARATION = """---
title: Test Call for Trust
kind: declaration
publisher: Test publisher
date: '2018-11-12'
url: https://example.org/call
language: en
---

# The Call

The Test Call was launched on 12 November 2018 in Paris by the President.

## Principle 1: Protect individuals

Prevent malicious cyber activities that threaten individuals and critical infrastructure.

## Principle 3: Defend electoral processes

Strengthen our capacity to prevent malign interference by foreign actors aimed at undermining elections.
"""

APPEL = """---
title: Appel test
kind: declaration
date: 2018-11-12
language: fr
---

L'Appel de test a été lancé le 12 novembre 2018 à Paris. Il réunit des États, des entreprises et la société civile.
"""

NEWS = """Skip to main content
Menu Home News

Many countries join the Test Call

The United States did not sign the Test Call in 2018, citing sovereignty concerns.
In November 2021 the United States announced its support for the Call.
"""

REGISTRY = """name,category,nature,country_code,country,listed_since
Microsoft,private-sector,Entreprise,USA,United States,2019-11-10
France,state,State,FRA,France,2019-09-16
Japan,state,State,JPN,Japan,2019-09-16
Hitachi,private-sector,Entreprise,JPN,Japan,2019-11-10
Access Now,civil-society,NGO,USA,United States,2019-09-16
"""

HTML = """<html lang="en"><head><title>Working groups page</title><script>alert(1)</script></head>
<body><nav>Home | About | Contact</nav><main><h1>Working groups</h1>
<p>Six working groups were created in 2021 to advance the principles.</p>
<ul><li>Working group 5 built a cyberstability index.</li></ul></main><footer>Copyright</footer></body></html>
"""


def write_pdf(path: Path, pages: list[str]) -> None:
    """A real multi-page PDF with extractable text (drawn with matplotlib's PDF backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    with PdfPages(path) as pdf:
        for text in pages:
            fig = plt.figure(figsize=(8.27, 11.69))
            fig.text(0.05, 0.95, text, va="top", wrap=True, fontsize=10)
            pdf.savefig(fig)
            plt.close(fig)


def sidecar(path: Path, **fields: str) -> None:
    lines = [f"{key}: {value!r}" if key != "language" else f"{key}: {value}" for key, value in fields.items()]
    path.with_name(path.name + ".meta.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_corpus(root: Path, pdf: bool = True) -> Path:
    (root / "declaration").mkdir(parents=True, exist_ok=True)
    (root / "news").mkdir(exist_ok=True)
    (root / "reports").mkdir(exist_ok=True)
    (root / "README.md").write_text("# About this corpus\n", encoding="utf-8")
    (root / "declaration" / "call-en.md").write_text(DECLARATION, encoding="utf-8")
    (root / "declaration" / "appel-fr.md").write_text(APPEL, encoding="utf-8")
    news = root / "news" / "us-2021.txt"
    news.write_text(NEWS, encoding="utf-8")
    sidecar(news, title="US joins", kind="news", date="2021-11-10", language="en", publisher="Wire")
    registry = root / "supporters.csv"
    registry.write_text(REGISTRY, encoding="utf-8")
    sidecar(registry, title="Supporters (registry)", kind="registry", language="en")
    page = root / "news" / "groups.html"
    page.write_text(HTML, encoding="utf-8")
    sidecar(page, title="Working groups", kind="news", date="2021", language="en")
    if pdf:
        report = root / "reports" / "wg5.pdf"
        write_pdf(report, ["Working Group 5 report. The cyberstability index measures progress.",
                           "Page two discusses supply chain security and co-chairs of the group."])
        sidecar(report, title="WG5 report", kind="report", date="2021-11-08", language="en")
    return root
