"""Re-branding without code: a styles folder with another colour, a logo and a custom
reference.docx, organisation and marking from settings; --templates with one changed template."""
from __future__ import annotations

import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from brief_fixtures import multilingual_brief  # noqa: E402

from briefgen.settings import Settings, asset_dir  # noqa: E402
from briefgen.writers import render  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
S = Settings(as_of="2026-11-23")
NEW = "8b1e3f"  # wine red instead of the default navy #1f3a5f
NEW_RGB = b"0.545098 0.117647 0.247059"
OLD_RGB = b"0.121569 0.227451 0.372549"


def _styles(tmp_path: Path) -> Path:
    from PIL import Image

    d = tmp_path / "styles"
    d.mkdir()
    css = (asset_dir("styles") / "brief.css").read_text()
    css = css.replace("--accent: #1f3a5f;", f"--accent: #{NEW};")
    assert f"#{NEW}" in css
    (d / "brief.css").write_text(css)
    img = Image.new("RGB", (120, 40), (0x8B, 0x1E, 0x3F))
    img.save(d / "logo.png")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "make_reference_docx.py"), str(d / "reference.docx"),
                    "--accent", NEW.upper()], check=True)
    return d


def _brief():
    return multilingual_brief(cjk=False, organisation="Embassy of Vietnam in Paris", marking="Restricted")


def _page_colours(pdf: bytes) -> bytes:
    from pypdf import PdfReader

    r = PdfReader(io.BytesIO(pdf))
    return b"\n".join(p.get_contents().get_data() for p in r.pages)


def test_rebrand_pdf_colour_logo_organisation_marking(tmp_path):
    styles = _styles(tmp_path)
    s = S.with_(styles_dir=str(styles))
    default = render("pdf", _brief(), S)
    branded = render("pdf", _brief(), s)
    assert OLD_RGB in _page_colours(default) and NEW_RGB not in _page_colours(default)
    assert NEW_RGB in _page_colours(branded) and OLD_RGB not in _page_colours(branded)
    from pypdf import PdfReader

    r = PdfReader(io.BytesIO(branded))
    assert len(r.pages[0].images) == 1 and not PdfReader(io.BytesIO(default)).pages[0].images
    text = r.pages[1].extract_text()
    assert "Embassy of Vietnam in Paris" in text and "RESTRICTED" in text
    assert r.metadata.author == "Embassy of Vietnam in Paris"


def test_rebrand_docx_reference_logo_organisation_marking(tmp_path):
    from docx import Document

    styles = _styles(tmp_path)
    data = render("docx", _brief(), S.with_(styles_dir=str(styles)))
    d = Document(io.BytesIO(data))
    assert str(d.styles["Heading 1"].font.color.rgb).lower() == NEW
    assert str(Document(io.BytesIO(render("docx", _brief(), S))).styles["Heading 1"].font.color.rgb).lower() == "1f3a5f"
    header = d.sections[0].header
    assert "Embassy of Vietnam in Paris" in header.paragraphs[-1].text and "Restricted" in header.paragraphs[-1].text
    z = zipfile.ZipFile(io.BytesIO(data))
    assert any(n.startswith("word/media/") and n.endswith(".png") for n in z.namelist())
    hdr_xml = "".join(z.read(n).decode() for n in z.namelist() if re.match(r"word/header\d*\.xml", n))
    assert "pic:pic" in hdr_xml
    assert 'descr="Embassy of Vietnam in Paris"' in hdr_xml  # alternative text for the logo
    assert d.core_properties.author == "Embassy of Vietnam in Paris"


def test_rebrand_html_inlines_colour_and_logo(tmp_path):
    styles = _styles(tmp_path)
    html = render("html", _brief(), S.with_(styles_dir=str(styles))).decode()
    assert f"--accent: #{NEW};" in html and 'src="data:image/png;base64,' in html


def test_styles_folder_with_only_a_logo_keeps_the_default_css(tmp_path):
    from PIL import Image

    d = tmp_path / "only-logo"
    d.mkdir()
    Image.new("RGB", (30, 30), (10, 120, 10)).save(d / "logo.png")
    pdf = render("pdf", _brief(), S.with_(styles_dir=str(d)))
    assert OLD_RGB in _page_colours(pdf)
    from pypdf import PdfReader

    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    assert render("docx", _brief(), S.with_(styles_dir=str(d)))  # falls back to the packaged reference.docx


def test_templates_folder_overrides_one_template(tmp_path):
    t = tmp_path / "templates"
    t.mkdir()
    md = (asset_dir("templates") / "brief.md.j2").read_text()
    (t / "brief.md.j2").write_text("<!-- Embassy template -->\n" + md)
    s = S.with_(templates_dir=str(t))
    assert render("md", _brief(), s).decode().startswith("<!-- Embassy template -->")
    assert "<h2>Background</h2>" in render("html", _brief(), s).decode()  # not overridden: packaged copy


def test_cli_build_accepts_templates_and_styles(tmp_path):
    from typer.testing import CliRunner

    from briefgen.cli import app

    r = CliRunner().invoke(app, ["build", "--help"])
    assert "--templates" in r.output and "--styles" in r.output and "--pdf-variant" in r.output


def test_plain_reference_docx_without_briefgen_styles_still_works(tmp_path):
    """A user's reference.docx made in Word has only the built-in styles: the writer falls back."""
    from docx import Document

    d = tmp_path / "plain"
    d.mkdir()
    Document().save(str(d / "reference.docx"))
    data = render("docx", _brief(), S.with_(styles_dir=str(d)))
    out = Document(io.BytesIO(data))
    assert out.tables[0].style.name == "Table Grid"
    assert any(p.style.name == "Heading 1" and p.text == "Background" for p in out.paragraphs)
    assert "Restricted" in out.sections[0].header.paragraphs[0].text


def test_a_stylesheet_mistake_is_reported_once_per_process(tmp_path, caplog):
    """WeasyPrint drops CSS it cannot use and tells only a null handler; a user re-branding the
    brief is told, through briefgen's logger, once per process however many briefs repeat it."""
    import logging
    import shutil

    from briefgen.writers import pdf

    styles = tmp_path / "styles"
    shutil.copytree(asset_dir("styles"), styles)
    css = styles / "brief.css"
    css.write_text(css.read_text(encoding="utf-8") + "\nh2 { colour: #7a0000; }\n", encoding="utf-8")
    pdf._REPORTED.clear()
    with caplog.at_level(logging.WARNING, logger="briefgen.writers.pdf"):
        for _ in range(2):
            render("pdf", multilingual_brief(cjk=False), S.with_(styles_dir=str(styles)))
    said = [r.getMessage() for r in caplog.records if r.name == "briefgen.writers.pdf"]
    assert len(said) == 1 and "colour" in said[0] and said[0].startswith("WeasyPrint: ")
