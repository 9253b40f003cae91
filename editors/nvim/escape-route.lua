-- escape-route's language server in Neovim 0.7 or later (Debian's is 0.7), without plugins.
--
-- Install: copy this file to ~/.config/nvim/lua/escape-route.lua and add to init.lua
--     require("escape-route")
-- or, in init.vim:  lua require("escape-route")
-- It starts `escape-route lsp` for any YAML file in a folder that holds a story.yaml
-- (one server per story folder) and attaches it to every such buffer.
--
-- Settings (before the require):
--     vim.g.escape_route_lsp_cmd  = { "/path/to/.venv/bin/escape-route", "lsp" }
--     vim.g.escape_route_play_cmd = { "/path/to/.venv/bin/escape-route", "play" }
--
-- Keys in a story buffer: gd definition, gr references, K hover (on a choice: its
-- costs and risk), <leader>rn rename, <leader>ca quick fix, <leader>cl run the code
-- lens under the cursor ("Play from here"); ]d / [d next and previous problem.

local M = {}
local clients = {} -- story folder -> client id

local function story_root(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name == "" then
    return nil
  end
  local dir = vim.fn.fnamemodify(name, ":p:h")
  if vim.fn.filereadable(dir .. "/story.yaml") == 1 then
    return dir
  end
  return nil
end

-- "Play from here": the server's code lens names the node and the story folder; the
-- game runs in a terminal split.
local function play_from(command)
  local node, root = command.arguments[1], command.arguments[2]
  local cmd = vim.deepcopy(vim.g.escape_route_play_cmd or { "escape-route", "play" })
  vim.list_extend(cmd, { "--story", root, "--start", node })
  vim.cmd("botright split")
  vim.cmd("enew")
  vim.fn.termopen(cmd)
end

local function on_attach(_, bufnr)
  local function map(keys, fn)
    vim.api.nvim_buf_set_keymap(bufnr, "n", keys, "", { noremap = true, silent = true, callback = fn })
  end
  map("gd", vim.lsp.buf.definition)
  map("gr", vim.lsp.buf.references)
  map("K", vim.lsp.buf.hover)
  map("<leader>rn", vim.lsp.buf.rename)
  map("<leader>ca", vim.lsp.buf.code_action)
  map("<leader>cl", vim.lsp.codelens.run)
  map("]d", vim.diagnostic.goto_next)
  map("[d", vim.diagnostic.goto_prev)
  vim.api.nvim_buf_set_option(bufnr, "omnifunc", "v:lua.vim.lsp.omnifunc")
  vim.api.nvim_create_autocmd({ "BufEnter", "InsertLeave", "BufWritePost" }, {
    buffer = bufnr,
    callback = function() pcall(vim.lsp.codelens.refresh) end,
  })
  pcall(vim.lsp.codelens.refresh)
end

function M.attach(bufnr)
  local root = story_root(bufnr)
  if root == nil then
    return
  end
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "escape-route",
      cmd = vim.g.escape_route_lsp_cmd or { "escape-route", "lsp" },
      root_dir = root,
      on_attach = on_attach,
      commands = { ["escape-route.playFrom"] = play_from },
    })
    clients[root] = id
  end
  if id ~= nil then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

vim.api.nvim_create_autocmd("FileType", {
  pattern = "yaml",
  callback = function(args) M.attach(args.buf) end,
})

return M
