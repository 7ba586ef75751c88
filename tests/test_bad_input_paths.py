"""Bad input, paths: includes and images that leave the project, loop, or name no file here."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_bad_input import body_text, cli, fails, figure, png, project, renders

SECTION = "id: s\ntitle: Included\nblocks:\n  - paragraph: From the section file.\n"
INCLUDE_OUTSIDE_HINT = ("  hint: section files must be inside the project folder, also after "
                        "following symbolic links; move or copy the file into its sections/ "
                        "folder\n")
IMAGE_OUTSIDE_HINT = "  hint: copy the image into the project, e.g. into sections/images/\n"


def include(path: str) -> str:
    return f"title: T\nsections:\n  - include: {path}\n"


# ---------------------------------------------------------- absolute paths


def test_absolute_include_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "elsewhere.yaml").write_text(SECTION)
    root = project(tmp_path, monkeypatch, include(str(tmp_path / "elsewhere.yaml")))
    fails(f"outline/g.yaml:3:14: error: include '{tmp_path / 'elsewhere.yaml'}' is outside "
          f"the project folder {root}\n" + INCLUDE_OUTSIDE_HINT)


def test_absolute_include_inside_the_project_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "p"
    project(tmp_path, monkeypatch, include(str(root / "sections" / "s.yaml")),
            {"sections/s.yaml": SECTION})
    assert body_text(renders()).startswith("1 Included From the section file.")


def test_absolute_image_outside_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pic.png").write_bytes(png(4, 4))
    root = project(tmp_path, monkeypatch, figure(str(tmp_path / "pic.png")))
    fails(f"outline/g.yaml:7:18: error: image 'pic.png' is outside the project folder {root}\n"
          + IMAGE_OUTSIDE_HINT)


# ---------------------------------------------------------------- escapes


def test_dot_dot_include_escaping_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "secret.yaml").write_text(SECTION)
    root = project(tmp_path, monkeypatch, include("../../secret.yaml"))
    fails(f"outline/g.yaml:3:14: error: include '../../secret.yaml' is outside the project "
          f"folder {root}\n" + INCLUDE_OUTSIDE_HINT)


def test_dot_dot_image_escaping_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pic.png").write_bytes(png(4, 4))
    root = project(tmp_path, monkeypatch, figure("../sections/../../pic.png"))
    fails(f"outline/g.yaml:7:18: error: image 'pic.png' is outside the project folder {root}\n"
          + IMAGE_OUTSIDE_HINT)


def test_home_folder_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, include("~/notes/s.yaml"))
    fails("outline/g.yaml:3:14: error: include '~/notes/s.yaml' starts with '~'; the home "
          "folder is not part of the project\n"
          "  hint: give a path relative to the folder of outline/g.yaml, inside the project "
          "folder\n")


def test_home_folder_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Even a home folder that holds the project: a build must not depend on who runs it.
    monkeypatch.setenv("HOME", str(tmp_path))
    project(tmp_path, monkeypatch, figure("~/p/sections/pic.png"),
            {"sections/pic.png": png(4, 4)})
    fails("outline/g.yaml:7:18: error: image '~/p/sections/pic.png' starts with '~'; the home "
          "folder is not part of the project\n"
          "  hint: give a path relative to the folder of outline/g.yaml, inside the project "
          "folder\n")


def test_url_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, include("https://example.org/s.yaml"))
    fails("outline/g.yaml:3:14: error: include 'https://example.org/s.yaml' is a web address; "
          "files are read from the project folder, not downloaded\n"
          "  hint: download the file into the sections/ folder\n"
          "  hint: give a path relative to the folder of outline/g.yaml, inside the project "
          "folder\n")


def test_url_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, figure("https://example.org/pic.png"))
    fails("outline/g.yaml:7:18: error: image 'https://example.org/pic.png' is a web address; "
          "files are read from the project folder, not downloaded\n"
          "  hint: download the image into the project, e.g. into sections/images/\n"
          "  hint: give a path relative to the folder of outline/g.yaml, inside the project "
          "folder\n")


def test_url_bibliography(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, "title: T\nbibliography: http://example.org/refs.bib\n"
            "sections:\n  - id: a\n    title: A\n")
    fails("outline/g.yaml:2:15: error: 'http://example.org/refs.bib' is a web address; files "
          "are read from the project folder, not downloaded\n"
          "  hint: download the file into the project folder\n"
          "  hint: give a path relative to the folder of outline/g.yaml, inside the project "
          "folder\n")


# ---------------------------------------------------------------- symlinks


def test_symlinked_include_leaving_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "elsewhere.yaml").write_text(SECTION)
    root = project(tmp_path, monkeypatch, include("../sections/s.yaml"))
    (root / "sections" / "s.yaml").symlink_to(tmp_path / "elsewhere.yaml")
    fails(f"outline/g.yaml:3:14: error: include '../sections/s.yaml' is outside the project "
          f"folder {root}\n" + INCLUDE_OUTSIDE_HINT)


def test_symlinked_image_leaving_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pic.png").write_bytes(png(4, 4))
    root = project(tmp_path, monkeypatch, figure("../sections/pic.png"))
    (root / "sections" / "pic.png").symlink_to(tmp_path / "pic.png")
    fails(f"outline/g.yaml:7:18: error: image 'pic.png' is outside the project folder {root}\n"
          + IMAGE_OUTSIDE_HINT)


def test_symlink_loop_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = project(tmp_path, monkeypatch, include("../sections/a.yaml"))
    (root / "sections" / "a.yaml").symlink_to(root / "sections" / "b.yaml")
    (root / "sections" / "b.yaml").symlink_to(root / "sections" / "a.yaml")
    fails("outline/g.yaml:3:14: error: cannot include '../sections/a.yaml': its symbolic "
          "links loop\n")


# ------------------------------------------------------------------ cycles


def test_file_including_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, include("../sections/s.yaml"),
            {"sections/s.yaml": "id: s\ntitle: S\nsections:\n  - include: s.yaml\n"})
    fails("sections/s.yaml:4:14: error: include cycle: sections/s.yaml -> sections/s.yaml\n"
          "  hint: a section file cannot include itself, directly or not\n")


def test_three_file_include_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = {f"sections/{a}.yaml": f"id: {a}\ntitle: {a}\nsections:\n  - include: {b}.yaml\n"
             for a, b in ("ab", "bc", "ca")}
    project(tmp_path, monkeypatch, include("../sections/a.yaml"), files)
    fails("sections/c.yaml:4:14: error: include cycle: sections/a.yaml -> sections/b.yaml -> "
          "sections/c.yaml -> sections/a.yaml\n"
          "  hint: a section file cannot include itself, directly or not\n")


# -------------------------------------------------- a folder, not a file


def test_folder_as_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, include("../sections"))
    fails("outline/g.yaml:3:14: error: cannot include '../sections': it is a folder\n")


def test_folder_as_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, figure("../sections"))
    fails("outline/g.yaml:7:18: error: image 'sections' is a folder, not a file\n"
          "  hint: give the path of a PNG or JPEG file\n")


def test_folder_as_outline_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, include("../sections/s.yaml"))
    result = cli("build", "outline")
    assert result.exit_code == 2
    assert "Invalid value for '[OUTLINE]': File 'outline' is a directory." in result.stderr


# ------------------------------------------------------------------ case


def test_case_mismatched_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, include("../sections/INTRO.yaml"),
            {"sections/intro.yaml": SECTION})
    if Path("sections/INTRO.yaml").exists():
        pytest.skip("this file system ignores case")
    fails("outline/g.yaml:3:14: error: cannot include '../sections/INTRO.yaml': no such file\n"
          "  hint: did you mean '../sections/intro.yaml'? (file names are case-sensitive)\n")


def test_case_mismatched_image(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project(tmp_path, monkeypatch, figure("../sections/Diagram.PNG"),
            {"sections/diagram.png": png(4, 4)})
    if Path("sections/Diagram.PNG").exists():
        pytest.skip("this file system ignores case")
    fails("outline/g.yaml:7:18: error: image 'Diagram.PNG' not found (looked for "
          "sections/Diagram.PNG)\n"
          "  hint: did you mean 'diagram.png'? (file names are case-sensitive)\n")


def test_case_mismatch_does_not_hide_a_close_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, include("../sections/intro.yml"),
            {"sections/intro.yaml": SECTION})
    fails("outline/g.yaml:3:14: error: cannot include '../sections/intro.yml': no such file\n"
          "  hint: did you mean '../sections/intro.yaml'?\n")


@pytest.mark.skipif(os.name != "posix", reason="file names with a backslash")
def test_windows_style_path_is_not_found_with_a_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project(tmp_path, monkeypatch, include("..\\sections\\s.yaml"), {"sections/s.yaml": SECTION})
    fails("outline/g.yaml:3:14: error: cannot include '..\\sections\\s.yaml': no such file\n"
          "  hint: separate folders with '/', also on Windows: ../sections/s.yaml\n")
