// A real OCI registry for tests: Debian's docker-registry (the reference distribution
// server) on 127.0.0.1 at a free port, filled with small images built here as OCI layouts
// (no download) and copied in with skopeo. `frontDoor` puts a small HTTP server in front of
// it that can demand a bearer token (401 → /token → 200), answer 429, hang, or pass through.
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function hasRegistryTools() {
  try {
    execFileSync('docker-registry', ['--version'], { stdio: 'ignore' });
    execFileSync('skopeo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitUntil(fn, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function startRegistry() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hwc-registry-'));
  const port = await freePort();
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`);
  const child = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const host = `127.0.0.1:${port}`;
  await waitUntil(async () => (await fetch(`http://${host}/v2/`)).status === 200, 15_000, `docker-registry on ${host} (${stderr.slice(-300)})`);
  return {
    host,
    dir,
    /** Pushes an image under each tag; tags in one group share a digest. Returns tag → digest. */
    push(repository, groups, { multiArch = [] } = {}) {
      const digests = {};
      for (const group of groups) {
        const tags = Array.isArray(group) ? group : [group];
        const layout = buildLayout(path.join(dir, 'layouts', crypto.randomUUID()), tags[0], multiArch.includes(tags[0]));
        for (const tag of tags) {
          execFileSync('skopeo', ['copy', '--quiet', '--all', '--dest-tls-verify=false', `oci:${layout}:${tags[0]}`, `docker://${host}/${repository}:${tag}`], { stdio: 'pipe' });
          digests[tag] = execFileSync('skopeo', ['inspect', '--raw', '--tls-verify=false', `docker://${host}/${repository}:${tag}`], { encoding: 'buffer' });
          digests[tag] = `sha256:${crypto.createHash('sha256').update(digests[tag]).digest('hex')}`;
        }
      }
      return digests;
    },
    async stop() {
      child.kill();
      await new Promise((r) => (child.exitCode !== null ? r() : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function blob(layout, data) {
  const digest = crypto.createHash('sha256').update(data).digest('hex');
  fs.writeFileSync(path.join(layout, 'blobs', 'sha256', digest), data);
  return { digest: `sha256:${digest}`, size: data.length };
}

/** A one-layer image (or an index of two) whose content names the tag, so every group has its own digest. */
function buildLayout(layout, tag, multiArch) {
  fs.mkdirSync(path.join(layout, 'blobs', 'sha256'), { recursive: true });
  fs.writeFileSync(path.join(layout, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  const content = path.join(layout, 'content');
  fs.mkdirSync(content);
  fs.writeFileSync(path.join(content, 'version'), `${tag}\n`);
  const tar = execFileSync('tar', ['-C', content, '--owner=0', '--group=0', '--mtime=@0', '-cf', '-', 'version']);
  const gz = execFileSync('gzip', ['-n', '-c'], { input: tar });
  const diffId = `sha256:${crypto.createHash('sha256').update(tar).digest('hex')}`;
  const image = (arch) => {
    const config = blob(layout, Buffer.from(JSON.stringify({ architecture: arch, os: 'linux', config: { Labels: { version: tag } }, rootfs: { type: 'layers', diff_ids: [diffId] } })));
    const layer = blob(layout, gz);
    const manifest = Buffer.from(JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
    }));
    return { mediaType: 'application/vnd.oci.image.manifest.v1+json', ...blob(layout, manifest), platform: { architecture: arch, os: 'linux' } };
  };
  let top;
  if (multiArch) {
    const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: [image('amd64'), image('arm64')] }));
    top = { mediaType: 'application/vnd.oci.image.index.v1+json', ...blob(layout, index) };
  } else {
    const { platform, ...single } = image('amd64');
    top = single;
  }
  fs.writeFileSync(path.join(layout, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ ...top, annotations: { 'org.opencontainers.image.ref.name': tag } }] }));
  return layout;
}

/**
 * A front door on another loopback port. mode: 'token' (bearer tokens from /token, anonymous),
 * '429' (every registry call rate-limited), 'hang' (accepts, never answers). `seen` records
 * the paths asked.
 */
export async function frontDoor(registryHost, mode) {
  const seen = [];
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (mode === 'hang') return; // never answers
    if (mode === '429') {
      res.writeHead(429, { 'Retry-After': '120' });
      return res.end('{"errors":[{"code":"TOOMANYREQUESTS"}]}');
    }
    if (req.url.startsWith('/token')) {
      const url = new URL(req.url, `http://${host}`);
      const ok = url.searchParams.get('service') === 'hwc-test' && /^repository:[\w./-]+:pull$/.test(url.searchParams.get('scope') ?? '');
      res.writeHead(ok ? 200 : 400, { 'Content-Type': 'application/json' });
      return res.end(ok ? JSON.stringify({ token: 'test-token', expires_in: 300 }) : '{}');
    }
    if (req.headers.authorization !== 'Bearer test-token') {
      const repository = /^\/v2\/(.+)\/(?:tags|manifests)\//.exec(req.url)?.[1] ?? 'unknown';
      res.writeHead(401, { 'WWW-Authenticate': `Bearer realm="http://${host}/token",service="hwc-test",scope="repository:${repository}:pull"` });
      return res.end();
    }
    const upstream = http.request({ host: '127.0.0.1', port: Number(registryHost.split(':')[1]), path: req.url, method: req.method, headers: { ...req.headers, host: registryHost } }, (up) => {
      res.writeHead(up.statusCode, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    host,
    seen,
    async stop() {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}
