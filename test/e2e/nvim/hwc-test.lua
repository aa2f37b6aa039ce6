-- Drives the HWC language server from Neovim 0.7's built-in LSP client, headless, for
-- test/e2e/neovim.test.mjs. Everything it sees goes to one JSON file ($HWC_NVIM_OUT);
-- the test reads it and checks the files on disk. Nothing here knows VS Code.
--
-- Environment:
--   HWC_NVIM_CMD      JSON array: the server command, e.g. ["node","/repo/out/server.js","--stdio"]
--   HWC_NVIM_ROOT     the workspace root (root_dir)
--   HWC_NVIM_FILE     the module to open, relative to the root
--   HWC_NVIM_OUT      where to write the JSON report
--   HWC_NVIM_RULE     optional: wait for a diagnostic with this code (rule id)
--   HWC_NVIM_ACTION   optional: the title (or its beginning) of the code action to apply on that diagnostic
--   HWC_NVIM_TIMEOUT  optional: ms for each wait (default 30000)
local env = vim.env
local timeout = tonumber(env.HWC_NVIM_TIMEOUT or '') or 30000
local root = env.HWC_NVIM_ROOT
local report = { steps = {}, statuses = {}, logs = {} }
local t0 = vim.loop.hrtime()

-- Milestones with milliseconds since start, for the test's timing line.
local function step(name)
  table.insert(report.steps, { name = name, ms = math.floor((vim.loop.hrtime() - t0) / 1e6) })
end

local function ready()
  local last = report.statuses[#report.statuses]
  return last ~= nil and last.state == 'ready'
end

-- The raw LSP diagnostics per URI, as the server published them (vim.diagnostic keeps a
-- converted copy; code actions need the protocol form back).
local published = {}
local function on_publish(err, result, ctx, config)
  published[result.uri] = result.diagnostics
  return vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
end

local function relative(path)
  local prefix = root .. '/'
  if path:sub(1, #prefix) == prefix then return path:sub(#prefix + 1) end
  return path
end

-- Every diagnostic vim.diagnostic holds, in a JSON-friendly form.
local function all_diagnostics()
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(nil)) do
    table.insert(out, {
      file = relative(vim.api.nvim_buf_get_name(d.bufnr)),
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      severity = d.severity, code = d.code, source = d.source, message = d.message,
    })
  end
  table.sort(out, function(a, b)
    if a.file ~= b.file then return a.file < b.file end
    return a.lnum < b.lnum
  end)
  return out
end

local function has_code(list, code)
  for _, d in ipairs(list or {}) do
    if d.code == code then return d end
  end
  return nil
end

local function wait(what, condition)
  if not vim.wait(timeout, condition, 50) then error('timed out after ' .. timeout .. ' ms waiting for ' .. what) end
end

local function main()
  step('start')
  local client_id = vim.lsp.start_client({
    name = 'hwc',
    cmd = vim.json.decode(env.HWC_NVIM_CMD),
    root_dir = root,
    on_init = function(_, result) report.server_info = result.serverInfo or vim.NIL end,
    handlers = {
      ['textDocument/publishDiagnostics'] = on_publish,
      ['hwc/status'] = function(_, params) table.insert(report.statuses, params) end,
      ['window/logMessage'] = function(_, params) table.insert(report.logs, params.message) end,
    },
  })
  if not client_id then error('vim.lsp.start_client returned nil') end

  local path = root .. '/' .. env.HWC_NVIM_FILE
  vim.cmd('edit ' .. vim.fn.fnameescape(path))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(bufnr, client_id)
  local uri = vim.uri_from_bufnr(bufnr)

  wait('the server to initialize', function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c and c.initialized
  end)
  local client = vim.lsp.get_client_by_id(client_id)
  report.capabilities = {
    codeAction = client.server_capabilities.codeActionProvider or false,
    hover = client.server_capabilities.hoverProvider or false,
    completion = client.server_capabilities.completionProvider and true or false,
  }
  step('initialized')

  -- `hwc/status` "ready" follows the first lint pass over the whole workspace, and the
  -- server sends it after that pass's publishDiagnostics: from then on the set is complete.
  local rule = env.HWC_NVIM_RULE
  wait('hwc/status "ready"', ready)
  step('ready')
  wait(rule and ('a ' .. rule .. ' diagnostic in ' .. env.HWC_NVIM_FILE) or 'diagnostics', function()
    local mine = published[uri]
    if rule then return has_code(mine, rule) ~= nil end
    return mine ~= nil
  end)
  step('diagnostics')
  report.diagnostics = all_diagnostics()

  local title = env.HWC_NVIM_ACTION
  if not (rule and title) then return end

  local target = has_code(published[uri], rule)
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = { target } },
  }, timeout)
  local actions = {}
  for _, response in pairs(responses or {}) do
    if response.err then error('textDocument/codeAction failed: ' .. vim.inspect(response.err)) end
    vim.list_extend(actions, response.result or {})
  end
  report.actions = vim.tbl_map(function(a)
    return { title = a.title, kind = a.kind or vim.NIL, isPreferred = a.isPreferred or false,
             hasEdit = a.edit ~= nil, command = a.command and (a.command.command or a.command) or vim.NIL }
  end, actions)
  step('codeActions')

  local chosen
  for _, a in ipairs(actions) do
    if not chosen and a.title:sub(1, #title) == title then chosen = a end
  end
  if not chosen then return end
  if not chosen.edit and not chosen.command then
    -- Lazily resolved action (codeAction/resolve).
    local resolved = client.request_sync('codeAction/resolve', chosen, timeout, bufnr)
    if resolved and resolved.result then chosen = resolved.result end
  end
  if chosen.edit then vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding) end
  local command = chosen.command
  if type(command) == 'table' then
    -- A server command may answer with workspace/applyEdit, which the default handler applies.
    local r = client.request_sync('workspace/executeCommand', { command = command.command, arguments = command.arguments }, timeout, bufnr)
    if r and r.err then error('workspace/executeCommand failed: ' .. vim.inspect(r.err)) end
  end
  report.applied = chosen.title
  vim.api.nvim_buf_call(bufnr, function() vim.cmd('silent write') end)
  step('written')

  wait('the ' .. rule .. ' diagnostic to go away', function() return has_code(published[uri], rule) == nil end)
  report.after = all_diagnostics()
  step('after')
end

local function finish(ok, err)
  if not ok then report.error = tostring(err) end
  local fd = assert(io.open(env.HWC_NVIM_OUT, 'w'))
  fd:write(vim.json.encode(report))
  fd:close()
  for _, c in pairs(vim.lsp.get_active_clients()) do c.stop() end
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 50)
  vim.cmd(ok and 'qall!' or 'cquit 1')
end

vim.api.nvim_create_autocmd('VimEnter', {
  once = true,
  callback = function()
    local ok, err = xpcall(main, debug.traceback)
    finish(ok, err)
  end,
})
