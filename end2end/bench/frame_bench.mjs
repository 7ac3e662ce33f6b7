// The frame half of the graph benchmark, run in the page: one frame of a 10,000-node / 30,000-edge graph
// drawn by the app's renderer (through wasm) and by a plain-JS canvas loop, on canvases of the same size.

import { plainPaint } from "./plain_draw.mjs";
import { frameScene } from "./scene.mjs";

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const summary = (name, times) => ({ name, p50: quantile(times, 0.5), p95: quantile(times, 0.95), max: Math.max(...times) });
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

function makeCanvas(width, height, dpr) {
  const canvas = document.createElement("canvas");
  canvas.style.cssText = `position: absolute; left: 0; top: 0; width: ${width}px; height: ${height}px`;
  canvas.width = Math.round(width * dpr);
  canvas.height = Math.round(height * dpr);
  document.body.append(canvas);
  return { canvas, ctx: canvas.getContext("2d") };
}

/** Share of pixels that differ by more than `tolerance` in some channel between two canvases. */
function pictureDifference(a, b) {
  const [pa, pb] = [a.getImageData(0, 0, a.canvas.width, a.canvas.height).data, b.getImageData(0, 0, b.canvas.width, b.canvas.height).data];
  let differ = 0;
  for (let k = 0; k < pa.length; k += 4) {
    const d = Math.max(Math.abs(pa[k] - pb[k]), Math.abs(pa[k + 1] - pb[k + 1]), Math.abs(pa[k + 2] - pb[k + 2]), Math.abs(pa[k + 3] - pb[k + 3]));
    if (d > 32) differ += 1;
  }
  return differ / (pa.length / 4);
}

/**
 * `wasm` exports `layout` and `FrameBench`. Positions come from our layout of the same graph. Timing:
 * each frame is timed from before the draw calls to after `getImageData(0, 0, 1, 1)`, which makes
 * Chromium rasterize what was recorded, so it covers the draw calls and the (software) raster; the
 * time to the end of the draw calls alone is kept too (Chromium may rasterize during them when its
 * recording buffer fills, so it is a lower bound of the renderer's own cost, not an exact split);
 * the renderers alternate frame by frame after a warm-up. A second pass draws each renderer once per
 * requestAnimationFrame and records the intervals between frames.
 */
export async function frameBench(wasm, { nodes, edgesPerNode, frames, width, height, seed, log }) {
  const dpr = devicePixelRatio;
  const scene = frameScene(nodes, edgesPerNode, seed);
  let t0 = performance.now();
  const pos = wasm.layout(nodes, scene.edges, seed, 300);
  const layoutMs = performance.now() - t0;
  log(`frame: laid out ${nodes} nodes with our layout in ${layoutMs.toFixed(0)} ms`);
  const ours = makeCanvas(width, height, dpr);
  const plain = makeCanvas(width, height, dpr);
  const bench = new wasm.FrameBench(scene.edges, pos, scene.nodeKinds, scene.edgeKinds, scene.edgeWeights, scene.weights, scene.labels.join("\n"), width, height, dpr);
  const view = { scale: bench.scale, tx: bench.tx, ty: bench.ty };
  const labelOrder = Uint32Array.from(bench.label_order());
  const drawers = [
    { name: "ours (app renderer, wasm)", ctx: ours.ctx, draw: () => bench.draw(ours.ctx) },
    { name: "plain JS canvas loop", ctx: plain.ctx, draw: () => plainPaint(plain.ctx, scene, pos, view, { width, height, dpr, labelOrder }) },
  ];
  const sync = Object.fromEntries(drawers.map((d) => [d.name, []]));
  const calls = Object.fromEntries(drawers.map((d) => [d.name, []]));
  for (let frame = -10; frame < frames; frame++) {
    for (const d of frame % 2 === 0 ? drawers : [...drawers].reverse()) {
      t0 = performance.now();
      d.draw();
      const t1 = performance.now();
      d.ctx.getImageData(0, 0, 1, 1);
      if (frame >= 0) {
        sync[d.name].push(performance.now() - t0);
        calls[d.name].push(t1 - t0);
      }
    }
    if (frame % 20 === 0) await nextFrame();
  }
  const difference = pictureDifference(ours.ctx, plain.ctx);
  log(`frame: sync pass done; pictures differ in ${(100 * difference).toFixed(2)}% of pixels`);
  const raf = {};
  for (const d of drawers) {
    for (const other of drawers) other.ctx.canvas.style.zIndex = other === d ? "1" : "0";
    const deltas = [];
    let last = await nextFrame();
    for (let frame = 0; frame < Math.min(frames, 60); frame++) {
      d.draw();
      const now = await nextFrame();
      deltas.push(now - last);
      last = now;
    }
    raf[d.name] = summary(d.name, deltas);
  }
  bench.free();
  return {
    nodes,
    edges: scene.edges.length / 2,
    width,
    height,
    dpr,
    frames,
    layoutMs,
    method: "draw + getImageData(0,0,1,1) per frame, alternating",
    rows: drawers.map((d) => ({ ...summary(d.name, sync[d.name]), calls: summary(d.name, calls[d.name]) })),
    raf: drawers.map((d) => raf[d.name]),
    pixelsDiffering: difference,
  };
}
