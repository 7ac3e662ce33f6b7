// Layout quality for the graph benchmark, computed the same way for every layout: normalized stress
// against graph distances and the spread of edge lengths. Lower is better for both.

import { prng } from "./graphs.mjs";

function adjacency(n, edges) {
  const degree = new Uint32Array(n + 1);
  for (const v of edges) degree[v + 1] += 1;
  for (let i = 0; i < n; i++) degree[i + 1] += degree[i];
  const start = degree.slice();
  const next = new Uint32Array(edges.length);
  for (let e = 0; e < edges.length; e += 2) {
    next[start[edges[e]]++] = edges[e + 1];
    next[start[edges[e + 1]]++] = edges[e];
  }
  return { offsets: degree, next };
}

/**
 * Normalized stress over the pairs (s, j) for `sources` sampled nodes s and every other node j:
 * graph distance d = hops × linkDistance (BFS), weight 1/d², layout distances scaled by the factor
 * that minimizes the stress (so a layout is not punished for its overall size), divided by the
 * number of pairs: 0 is a perfect embedding of graph distances.
 */
export function stress(n, edges, pos, { sources = 64, linkDistance = 30, seed = 7 } = {}) {
  const { offsets, next } = adjacency(n, edges);
  const random = prng(seed);
  const hops = new Int32Array(n);
  const queue = new Uint32Array(n);
  // Ratios r = layout distance / graph distance; stress(α) = mean (α r − 1)², minimal at α = Σr / Σr².
  let sumR = 0;
  let sumR2 = 0;
  let pairs = 0;
  const ratios = [];
  for (let k = 0; k < sources; k++) {
    const s = Math.floor(random() * n);
    hops.fill(-1);
    hops[s] = 0;
    queue[0] = s;
    for (let head = 0, tail = 1; head < tail; head++) {
      const v = queue[head];
      for (let e = offsets[v]; e < offsets[v + 1]; e++) {
        const w = next[e];
        if (hops[w] < 0) {
          hops[w] = hops[v] + 1;
          queue[tail++] = w;
        }
      }
    }
    for (let j = 0; j < n; j++) {
      if (hops[j] <= 0) continue;
      const r = Math.hypot(pos[2 * j] - pos[2 * s], pos[2 * j + 1] - pos[2 * s + 1]) / (hops[j] * linkDistance);
      ratios.push(r);
      sumR += r;
      sumR2 += r * r;
      pairs += 1;
    }
  }
  const alpha = sumR / sumR2;
  let total = 0;
  for (const r of ratios) total += (alpha * r - 1) ** 2;
  return total / pairs;
}

/** Coefficient of variation (standard deviation / mean) of the edge lengths. */
export function edgeSpread(edges, pos) {
  let sum = 0;
  let sum2 = 0;
  const m = edges.length / 2;
  for (let e = 0; e < edges.length; e += 2) {
    const [a, b] = [edges[e], edges[e + 1]];
    const l = Math.hypot(pos[2 * a] - pos[2 * b], pos[2 * a + 1] - pos[2 * b + 1]);
    sum += l;
    sum2 += l * l;
  }
  const mean = sum / m;
  return Math.sqrt(Math.max(0, sum2 / m - mean * mean)) / mean;
}
