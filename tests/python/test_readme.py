"""The README's Python snippet runs as written on a fresh, empty ledger (issue 9)."""
import os
import pathlib
import re
import subprocess
import sys

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def snippet(lang, heading):
    text = README.read_text(encoding="utf-8")
    section = text[text.index("\n## %s\n" % heading):]
    return re.search(r"```%s\n(.*?)```" % lang, section, re.S).group(1)


def test_readme_python_snippet_runs_on_an_empty_ledger(tmp_path):
    code = snippet("python", "Python")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p)
    r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                       env=env, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "武都区教育局 2012-03-01" in r.stdout          # the unit, listed with its founding date
    assert "R11" in r.stdout                              # the refused change, rule by rule
    assert (tmp_path / "longnan.ledger").exists()
