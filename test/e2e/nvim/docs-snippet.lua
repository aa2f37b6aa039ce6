-- Runs the Neovim 0.7 setup from docs/neovim.md as a user would have it in init.lua
-- ($HWC_NVIM_SNIPPET, extracted by neovim.test.mjs with the repository path filled in),
-- opens $HWC_NVIM_FILE under $HWC_NVIM_ROOT through the normal FileType path, waits for
-- a diagnostic with code $HWC_NVIM_RULE and writes the buffer's diagnostics to $HWC_NVIM_OUT.
dofile(vim.env.HWC_NVIM_SNIPPET)

local function finish(report, code)
  local fd = assert(io.open(vim.env.HWC_NVIM_OUT, 'w'))
  fd:write(vim.json.encode(report))
  fd:close()
  for _, c in pairs(vim.lsp.get_active_clients()) do c.stop() end
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
  vim.cmd(code == 0 and 'qall!' or 'cquit 1')
end

-- nested: the :edit below must fire BufRead/FileType, which the snippet listens to.
vim.api.nvim_create_autocmd('VimEnter', { once = true, nested = true, callback = function()
  local ok, err = pcall(function()
    vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.HWC_NVIM_ROOT .. '/' .. vim.env.HWC_NVIM_FILE))
    local rule = vim.env.HWC_NVIM_RULE
    local seen = vim.wait(tonumber(vim.env.HWC_NVIM_TIMEOUT or '') or 30000, function()
      for _, d in ipairs(vim.diagnostic.get(0)) do
        if d.code == rule then return true end
      end
      return false
    end, 50)
    local diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(0)) do
      table.insert(diagnostics, { code = d.code, severity = d.severity, lnum = d.lnum, source = d.source })
    end
    local clients = {}
    for _, c in pairs(vim.lsp.get_active_clients()) do table.insert(clients, c.name) end
    return { seen = seen, filetype = vim.bo.filetype, diagnostics = diagnostics, clients = clients }
  end)
  if ok then finish(err, 0) else finish({ error = tostring(err) }, 1) end
end })
