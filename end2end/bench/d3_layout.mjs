// d3-force set up exactly as the app's layout (layout/src/lib.rs, Params::default()): the
// reference the graph benchmark compares our wasm layout with.

import { forceLink, forceManyBody, forceSimulation, forceX, forceY } from "d3-force";

/** `ticks` ticks of d3-force from the given flat start positions; returns flat positions. */
export function d3Layout(n, edges, start, ticks) {
  const nodes = new Array(n);
  for (let i = 0; i < n; i++) nodes[i] = { x: start[2 * i], y: start[2 * i + 1] };
  const links = new Array(edges.length / 2);
  for (let k = 0; k < links.length; k++) links[k] = { source: edges[2 * k], target: edges[2 * k + 1] };
  const simulation = forceSimulation(nodes)
    .force("link", forceLink(links).distance(30))
    .force("charge", forceManyBody().strength(-30).theta(0.9))
    .force("x", forceX(0).strength(0.05))
    .force("y", forceY(0).strength(0.05))
    .velocityDecay(0.4)
    .alphaMin(0.001)
    .stop();
  simulation.tick(ticks);
  const pos = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    pos[2 * i] = nodes[i].x;
    pos[2 * i + 1] = nodes[i].y;
  }
  return pos;
}
