// bench/lint-time.svg: lint wall time vs workspace size (log–log), with the nix-instantiate
// parse baseline beside it and the min–max range of the runs as whiskers; the messy
// workspace as hollow diamonds at its size. Hand-written
// SVG, no plotting library.

const W = 640;
const H = 400;
const M = { left: 70, right: 20, top: 40, bottom: 60 };
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function logScale(min, max, from, to) {
  const a = Math.log10(min);
  const b = Math.log10(max);
  return (v) => from + ((Math.log10(v) - a) / (b - a)) * (to - from);
}

const niceSeconds = (s) => (s >= 1 ? `${s} s` : `${Math.round(s * 1000)} ms`);

export function renderSvg(results) {
  const points = results.lint.filter((l) => l.lint.wallMs && l.parseBaseline.wallMs);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`];
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  out.push(`<text x="${W / 2}" y="22" text-anchor="middle" font-size="14" font-weight="bold">hwc lint vs nix-instantiate --parse (wall time, median of runs)</text>`);
  if (points.length === 0) {
    out.push(`<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no lint measurements</text></svg>`);
    return out.join('\n') + '\n';
  }
  const sizes = points.map((p) => p.modules);
  // The messy workspace: one more pair of points at its size, drawn hollow and not joined.
  const messy = results.messy?.lint.wallMs && results.messy.parseBaseline.wallMs ? results.messy : null;
  const values = [...points, ...(messy ? [messy] : [])].flatMap((p) => [p.lint.wallMs.min, p.lint.wallMs.max, p.parseBaseline.wallMs.min, p.parseBaseline.wallMs.max].map((ms) => ms / 1000));
  const yMin = 10 ** Math.floor(Math.log10(Math.min(...values)));
  const yMax = 10 ** Math.ceil(Math.log10(Math.max(...values)));
  const xMin = Math.min(...sizes) / 2;
  const xMax = Math.max(...sizes) * 2;
  const x = logScale(xMin, xMax, M.left, W - M.right);
  const y = logScale(yMin, yMax, H - M.bottom, M.top);
  // grid and axes
  for (let v = yMin; v <= yMax * 1.0001; v *= 10) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`);
    out.push(`<text x="${M.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${esc(niceSeconds(Number(v.toPrecision(1))))}</text>`);
  }
  for (const n of sizes) {
    out.push(`<line x1="${x(n).toFixed(1)}" x2="${x(n).toFixed(1)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${x(n).toFixed(1)}" y="${H - M.bottom + 18}" text-anchor="middle">${n.toLocaleString('en-US')}</text>`);
  }
  out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/>`);
  out.push(`<line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>`);
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 18}" text-anchor="middle">container modules in the workspace (log scale)</text>`);
  out.push(`<text transform="translate(18 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">wall time (log scale)</text>`);
  const series = [
    { name: 'hwc lint (cold process)', color: '#c0392b', pick: (p) => p.lint.wallMs, dx: -4 },
    { name: 'nix-instantiate --parse (baseline)', color: '#2471a3', pick: (p) => p.parseBaseline.wallMs, dx: 4 },
  ];
  for (const s of series) {
    const pts = points.map((p) => [x(p.modules) + s.dx, y(s.pick(p).median / 1000), p]);
    out.push(`<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ')}"/>`);
    for (const [px, py, p] of pts) {
      const st = s.pick(p);
      out.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${y(st.min / 1000).toFixed(1)}" y2="${y(st.max / 1000).toFixed(1)}" stroke="${s.color}" stroke-width="1"/>`);
      out.push(`<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="4" fill="${s.color}"><title>${esc(`${s.name}, ${p.modules} modules: median ${(st.median / 1000).toFixed(2)} s (min ${(st.min / 1000).toFixed(2)}, max ${(st.max / 1000).toFixed(2)}, n=${st.n})`)}</title></circle>`);
      out.push(`<text x="${(px + (s.dx < 0 ? -8 : 8)).toFixed(1)}" y="${(py + 4).toFixed(1)}" text-anchor="${s.dx < 0 ? 'end' : 'start'}" fill="${s.color}">${esc((st.median / 1000).toFixed(2))} s</text>`);
    }
  }
  if (messy) {
    for (const s of series) {
      const st = s.pick(messy);
      const px = x(messy.modules) + s.dx; // in the column of its size, where the labels do not reach
      const py = y(st.median / 1000);
      out.push(`<line x1="${px.toFixed(1)}" x2="${px.toFixed(1)}" y1="${y(st.min / 1000).toFixed(1)}" y2="${y(st.max / 1000).toFixed(1)}" stroke="${s.color}" stroke-width="1"/>`);
      out.push(`<rect x="${(px - 4).toFixed(1)}" y="${(py - 4).toFixed(1)}" width="8" height="8" fill="#fff" stroke="${s.color}" stroke-width="2" transform="rotate(45 ${px.toFixed(1)} ${py.toFixed(1)})"><title>${esc(`${s.name}, ${messy.modules} modules, messy workspace: median ${(st.median / 1000).toFixed(2)} s (min ${(st.min / 1000).toFixed(2)}, max ${(st.max / 1000).toFixed(2)}, n=${st.n})`)}</title></rect>`);
    }
  }
  const legend = [...series, ...(messy ? [{ name: `messy ${messy.modules.toLocaleString('en-US')}-module workspace (hollow)`, color: '#555', hollow: true }] : [])];
  legend.forEach((s, i) => {
    const ly = M.top + 10 + i * 18;
    if (s.hollow) out.push(`<rect x="${M.left + 20}" y="${ly - 4}" width="8" height="8" fill="#fff" stroke="${s.color}" stroke-width="2" transform="rotate(45 ${M.left + 24} ${ly})"/>`);
    else out.push(`<line x1="${M.left + 12}" x2="${M.left + 36}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"/>`);
    out.push(`<text x="${M.left + 42}" y="${ly + 4}">${esc(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
