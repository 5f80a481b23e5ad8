"""The theme's listing skips hidden folders, and mkdocs copies exactly the theme files it copied before."""

from pathlib import Path

import jinja2
from mkdocs.config import load_config
from mkdocs.structure.files import Files

from builder.mkdocs.theme import VisibleFilesLoader, use_visible_files_loader

ROOT = Path(__file__).resolve().parents[2]


def test_listing_leaves_out_hidden_files_and_folders(tmp_path):
    for name in ["base.html", "assets/app.js", "assets/.cache/x.js", ".icons/a/b.svg", ".hidden.css",
                 "partials/.draft.html", "partials/footer.html"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    second = tmp_path / "second"
    (second / "assets").mkdir(parents=True)
    (second / "assets" / "app.js").write_text("y", encoding="utf-8")  # listed once, as Jinja's loader does
    loader = VisibleFilesLoader([str(tmp_path), str(second)])
    assert loader.list_templates() == ["assets/app.js", "base.html", "partials/footer.html",
                                       "second/assets/app.js"]
    # Hidden templates are still found when a template includes one (Material's icons are included so).
    env = jinja2.Environment(loader=loader)
    assert env.get_template(".icons/a/b.svg").render() == "x"


def test_the_theme_files_mkdocs_copies_are_unchanged():
    def theme_files(visible: bool) -> list[tuple[str, str]]:
        config = load_config(str(ROOT / "mkdocs.yml"), plugins=[])
        if visible:
            use_visible_files_loader(config.theme)
        env = config.theme.get_env()
        assert isinstance(env.loader, VisibleFilesLoader) == visible
        files = Files([])
        files.add_files_from_theme(env, config)
        return [(file.src_uri, file.abs_src_path) for file in files]

    listed = theme_files(True)
    assert listed == theme_files(False)
    assert any(uri.startswith("assets/javascripts/") for uri, _ in listed)
