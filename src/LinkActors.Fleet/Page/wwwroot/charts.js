// Small line charts as inline SVG: no library, nothing fetched.
import { svgEl } from './common.js';

/**
 * Draws series [{ name, cls, points: [{ t: ms, v: number|null }] }] into an svg with a 480 x height viewBox,
 * with the range and the last values written out as text, and a summary for screen readers.
 */
export function lineChart(svg, series, { height = 120, unit = '', min = null, max = null, format = v => String(v) } = {}) {
  svg.replaceChildren();
  const width = 480, left = 4, right = 4, top = 8, bottom = 18;
  const all = series.flatMap(s => s.points).filter(p => p.v != null);
  const title = svgEl('title');
  svg.append(title);
  if (all.length === 0) {
    title.textContent = 'no data yet';
    const t = svgEl('text', { x: String(width / 2), y: String(height / 2), 'text-anchor': 'middle', class: 'empty' });
    t.textContent = 'no data yet';
    svg.append(t);
    return;
  }
  const t0 = Math.min(...all.map(p => p.t)), t1 = Math.max(...all.map(p => p.t));
  const lo = min ?? Math.min(...all.map(p => p.v)), hi = max ?? Math.max(...all.map(p => p.v));
  const span = hi - lo || 1, tspan = t1 - t0 || 1;
  const x = t => left + (t - t0) / tspan * (width - left - right);
  const y = v => top + (1 - (v - lo) / span) * (height - top - bottom);
  svg.append(svgEl('line', { x1: String(left), x2: String(width - right), y1: String(height - bottom), y2: String(height - bottom), class: 'axis' }));
  const summary = [];
  for (const s of series) {
    const pts = s.points.filter(p => p.v != null);
    if (pts.length === 0) continue;
    const path = pts.map(p => `${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
    svg.append(svgEl(pts.length === 1 ? 'circle' : 'polyline', pts.length === 1
      ? { cx: String(x(pts[0].t)), cy: String(y(pts[0].v)), r: '3', class: `series ${s.cls}` }
      : { points: path, class: `series ${s.cls}`, fill: 'none' }));
    summary.push(`${s.name} ${format(pts[pts.length - 1].v)}${unit}`);
  }
  const label = svgEl('text', { x: String(left), y: String(height - 4), class: 'label' });
  label.textContent = `${summary.join(', ')} (range ${format(lo)} to ${format(hi)}${unit})`;
  svg.append(label);
  title.textContent = `now: ${summary.join(', ')}; over the period shown: ${format(lo)} to ${format(hi)}${unit}`;
}
