// The plain-JavaScript canvas loop the frame benchmark measures the app renderer against: it draws the
// same picture as app/src/components/graph/draw.rs (`paint`), call for call, from typed arrays.
// frame_bench.mjs checks the two pictures pixel by pixel, so a drift in either shows in the report.

const NODE_COLOURS = ["#2f5fb3", "#c7791a", "#2e8b57", "#7b4fb0"];
// Drawn in this order: Authored, AboutTopic, AffiliatedWith, CoAuthored (indices into EDGE_KINDS).
const EDGE_STYLES = [
  [0, "rgba(110, 118, 135, 0.35)", 1.0],
  [2, "rgba(46, 139, 87, 0.35)", 1.0],
  [3, "rgba(123, 79, 176, 0.35)", 1.0],
  [1, "rgba(47, 95, 179, 0.6)", 1.0],
];
const LABEL_FONT = "12px system-ui, sans-serif";
const [CHAR_WIDTH, LABEL_HEIGHT, LABEL_CHARS, MAX_LABELS, LABEL_CANDIDATES] = [6.6, 15, 32, 40, 600];

const shortLabel = (label) => {
  const chars = [...label];
  return chars.length <= LABEL_CHARS ? label : chars.slice(0, LABEL_CHARS - 1).join("") + "…";
};

/** Draws `scene` at `pos` (flat world coordinates) through `view` ({scale, tx, ty}) into `ctx`. */
export function plainPaint(ctx, scene, pos, view, { width, height, dpr, labelOrder }) {
  const { n, edges, nodeKinds, edgeKinds, weights, labels } = scene;
  const { scale, tx, ty } = view;
  const zoom = Math.min(Math.max(scale, 0.6), 2);
  const radius = (i) => Math.min(3.5 + 1.6 * Math.sqrt(weights[i]), 14) * zoom + (i === 0 ? 3 : 0);
  const sx = (i) => pos[2 * i] * scale + tx;
  const sy = (i) => pos[2 * i + 1] * scale + ty;
  const onScreen = (x, y, r) => x > -r && y > -r && x < width + r && y < height + r;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, width, height);
  for (const [kind, colour, lineWidth] of EDGE_STYLES) {
    ctx.beginPath();
    for (let e = 0; e < edgeKinds.length; e++) {
      if (edgeKinds[e] !== kind) continue;
      const [s, t] = [edges[2 * e], edges[2 * e + 1]];
      ctx.moveTo(sx(s), sy(s));
      ctx.lineTo(sx(t), sy(t));
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = lineWidth;
    ctx.stroke();
  }
  for (let kind = 0; kind < 4; kind++) {
    ctx.fillStyle = NODE_COLOURS[kind];
    for (let i = 0; i < n; i++) {
      if (nodeKinds[i] !== kind) continue;
      const [x, y, r] = [sx(i), sy(i), radius(i)];
      if (onScreen(x, y, r)) {
        ctx.beginPath();
        ctx.arc(x, y, r, 0, 2 * Math.PI);
        ctx.fill();
      }
    }
  }
  ctx.beginPath();
  ctx.arc(sx(0), sy(0), radius(0) + 2.5, 0, 2 * Math.PI);
  ctx.strokeStyle = "#141821";
  ctx.lineWidth = 2;
  ctx.stroke();
  // Labels: by priority, only those whose boxes do not overlap one kept before.
  const kept = [];
  let candidates = 0;
  for (const i of labelOrder) {
    if (kept.length >= MAX_LABELS || candidates >= LABEL_CANDIDATES) break;
    if (!onScreen(sx(i), sy(i), 0)) continue;
    candidates += 1;
    const w = Math.min([...labels[i]].length, LABEL_CHARS) * CHAR_WIDTH;
    const [x, y] = [sx(i), sy(i) + radius(i) + 2];
    const box = [x - w / 2, y, x + w / 2, y + LABEL_HEIGHT];
    if (kept.every(([, k]) => box[2] < k[0] || box[0] > k[2] || box[3] < k[1] || box[1] > k[3])) kept.push([i, box]);
  }
  ctx.font = LABEL_FONT;
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  ctx.lineWidth = 3;
  ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
  ctx.fillStyle = "#141821";
  for (const [i] of kept) {
    const text = shortLabel(labels[i]);
    const y = sy(i) + radius(i) + 3;
    ctx.strokeText(text, sx(i), y);
    ctx.fillText(text, sx(i), y);
  }
}
