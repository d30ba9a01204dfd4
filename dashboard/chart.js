/**
 * Small inline-SVG charts for the Health page: one series per minute, drawn as bars with the
 * latest value and the peak written beside them. No library: a few rectangles read at a glance.
 */
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * A bar chart of `values` (null = no figure that minute), `width`×`height` px. Its accessible name
 * says what it shows and the latest and highest values, so it needs no picture to be understood.
 */
export function barChart(values, { label, unit = '', width = 360, height = 90 } = {}) {
  const known = values.filter((v) => v !== null);
  const peak = Math.max(1, ...known);
  const latest = known.length ? known.at(-1) : null;
  const summary = `${label}: latest ${latest === null ? 'none' : `${latest}${unit}`}, peak ${known.length ? `${Math.max(...known)}${unit}` : 'none'} over the last ${values.length} minutes`;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': summary,
    class: 'chart',
  });
  chart.append(svg('title', {}, summary));
  const step = width / values.length;
  const bar = Math.max(1, step - 1);
  values.forEach((value, index) => {
    if (value === null || value === 0) return;
    const barHeight = Math.max(1, Math.round((value / peak) * (height - 4)));
    chart.append(
      svg('rect', {
        x: (index * step).toFixed(1),
        y: height - barHeight,
        width: bar.toFixed(1),
        height: barHeight,
        class: 'chart-bar',
      }),
    );
  });
  chart.append(svg('line', { x1: 0, y1: height - 0.5, x2: width, y2: height - 0.5, class: 'chart-axis' }));
  return chart;
}
