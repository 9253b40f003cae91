"""The shipped Neovim configuration, in a real headless Neovim: diagnostics arrive and gd jumps to a definition.

A Lua script drives Neovim (``nvim --headless``) with ``editors/nvim/escape-route.lua``
as a writer would have it, and writes what it saw to a JSON file the test reads.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_lsp import STORY

REPO = Path(__file__).resolve().parents[1]
CONFIG = REPO / "editors" / "nvim" / "escape-route.lua"

SCRIPT = """\
local out = {}
vim.g.escape_route_lsp_cmd = vim.fn.json_decode(os.getenv("ER_LSP_CMD"))
dofile(os.getenv("ER_CONFIG"))
vim.cmd("filetype on")
vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("ER_FILE")))
out.filetype = vim.bo.filetype
out.got_diagnostics = vim.wait(30000, function() return #vim.diagnostic.get(0) > 0 end, 50)
out.diagnostics = {}
for _, d in ipairs(vim.diagnostic.get(0)) do
  table.insert(out.diagnostics, { line = d.lnum, code = d.code, message = d.message })
end
-- gd on the goto of line 12 (the first choice's target, far_bank, in the other file)
vim.api.nvim_win_set_cursor(0, { 12, 16 })
vim.cmd("normal gd")
out.jumped = vim.wait(15000, function() return vim.fn.expand("%:t") == "02_river.yaml" end, 50)
out.file = vim.fn.expand("%:t")
out.cursor = vim.api.nvim_win_get_cursor(0)
local f = io.open(os.getenv("ER_OUT"), "w")
f:write(vim.fn.json_encode(out))
f:close()
vim.cmd("qa!")
"""


@pytest.mark.skipif(shutil.which("nvim") is None, reason="Neovim (nvim) is not installed: apt-get install neovim")
def test_neovim_gets_diagnostics_and_jumps_to_a_definition(tmp_path: Path):
    root = tmp_path / "story"
    root.mkdir()
    for name, text in STORY.items():
        if name == "01_start.yaml":  # the second goto misspelt: a diagnostic with a did-you-mean
            text = text.replace("no phone.\n        goto: far_bank", "no phone.\n        goto: far_bnk")
        (root / name).write_text(text, encoding="utf-8")
    assert (root / "01_start.yaml").read_text(encoding="utf-8").count("far_bnk") == 1
    script, out = tmp_path / "drive.lua", tmp_path / "out.json"
    script.write_text(SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "ER_CONFIG": str(CONFIG), "ER_FILE": str(root / "01_start.yaml"),
           "ER_OUT": str(out), "ER_LSP_CMD": json.dumps([sys.executable, "-m", "game", "lsp"]),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    run = subprocess.run(["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {script}"],
                         env=env, cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=90)
    assert out.exists(), f"Neovim wrote no result (status {run.returncode}): {run.stderr[-2000:]}"
    seen = json.loads(out.read_text(encoding="utf-8"))
    assert seen["filetype"] == "yaml"
    assert seen["got_diagnostics"], seen
    (problem,) = [d for d in seen["diagnostics"] if d["code"] == "ER020"]
    assert problem["line"] == 15 and "far_bnk" in problem["message"]
    assert seen["jumped"] and seen["file"] == "02_river.yaml", seen
    assert seen["cursor"] == [2, 2]  # the node's key, far_bank:, on line 2
