// The frame benchmark's picture: a seeded graph with the app's node and edge kinds, weights (weighted
// degree, as GraphSlice::finish computes them) and labels, handed to both the app renderer and plain JS.

import { prng, randomGraph } from "./graphs.mjs";

// NodeKind order in app/src/domain/graph.rs: Person, Work, Topic, Institution.
export const NODE_KINDS = ["Person", "Work", "Topic", "Institution"];
// EdgeKind order there: Authored, CoAuthored, AboutTopic, AffiliatedWith.
export const EDGE_KINDS = ["Authored", "CoAuthored", "AboutTopic", "AffiliatedWith"];
const WORDS = ["graph", "neural", "quantum", "protein", "theory", "learning", "sparse", "optimal", "network", "models"];

function edgeKind(a, b) {
  const [k1, k2] = [Math.min(a, b), Math.max(a, b)];
  if (k2 === 2) return 2; // anything about a topic
  if (k1 === 0 && k2 === 0) return 1; // two people
  if (k1 === 0 && k2 === 3) return 3; // a person and an institution
  return 0;
}

/** `n` nodes, `m = edgesPerNode · n` edges, kinds 40/40/12/8 %, node 0 the focus. */
export function frameScene(n, edgesPerNode, seed) {
  const { edges } = randomGraph(n, edgesPerNode, seed);
  const random = prng(seed ^ 0x5eed);
  const nodeKinds = new Uint8Array(n);
  const labels = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    nodeKinds[i] = r < 0.4 ? 0 : r < 0.8 ? 1 : r < 0.92 ? 2 : 3;
    const words = 1 + Math.floor(random() * 5);
    const text = Array.from({ length: words }, () => WORDS[Math.floor(random() * WORDS.length)]).join(" ");
    labels.push(`${NODE_KINDS[nodeKinds[i]]} ${i}: ${text}`);
  }
  const m = edges.length / 2;
  const edgeKinds = new Uint8Array(m);
  const edgeWeights = new Uint32Array(m);
  const weights = new Float32Array(n);
  for (let e = 0; e < m; e++) {
    const [a, b] = [edges[2 * e], edges[2 * e + 1]];
    edgeKinds[e] = edgeKind(nodeKinds[a], nodeKinds[b]);
    edgeWeights[e] = edgeKinds[e] === 1 ? 1 + Math.floor(random() * 3) : 1;
    weights[a] += edgeWeights[e];
    weights[b] += edgeWeights[e];
  }
  return { n, edges, nodeKinds, edgeKinds, edgeWeights, weights, labels };
}
