// Seeded random graphs for the graph benchmark: the same edges go to our layout and to d3-force.

/** mulberry32: a small deterministic generator of floats in [0, 1). */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` nodes and `edgesPerNode · n` distinct undirected edges (flat endpoint pairs) with the shape of a
 * research graph, so that a layout has structure to find and the quality measures can tell a good
 * layout from a poor one (on a uniformly random graph every layout scores about the same):
 * communities of 20 to 80 nodes (fields), a few hubs in each (endpoints are drawn skewed towards a
 * community's first members), 80% of edges inside a community, 18% to a neighbouring community
 * (communities sit on a hidden square grid, as fields border fields) and 2% anywhere. Connected:
 * each node first links to an earlier node of its community, a community's first node to its grid
 * neighbour before it. No self-loops or duplicates. Node indices are shuffled so they say nothing
 * about communities.
 */
export function randomGraph(n, edgesPerNode, seed) {
  const random = prng(seed);
  const pick = (k) => Math.floor(random() * k);
  const m = Math.min(Math.round(edgesPerNode * n), (n * (n - 1)) / 2);
  // A random order of the nodes, cut into communities.
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = pick(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const communities = [];
  for (let at = 0; at < n; ) {
    const size = Math.min(n - at, 20 + pick(61));
    communities.push(order.subarray(at, at + size));
    at += size;
  }
  const edges = new Uint32Array(2 * m);
  const seen = new Set();
  let k = 0;
  const add = (a, b) => {
    const key = a < b ? a * n + b : b * n + a;
    if (a === b || seen.has(key) || k >= m) return;
    seen.add(key);
    edges[2 * k] = a;
    edges[2 * k + 1] = b;
    k += 1;
  };
  const skewed = (members) => members[Math.floor(members.length * random() ** 2)];
  const side = Math.ceil(Math.sqrt(communities.length));
  const neighbour = (c) => {
    const [x, y] = [c % side, Math.floor(c / side)];
    const steps = [[1, 0], [-1, 0], [0, 1], [0, -1]].filter(([dx, dy]) => {
      const [nx, ny] = [x + dx, y + dy];
      return nx >= 0 && ny >= 0 && nx < side && ny * side + nx < communities.length;
    });
    if (steps.length === 0) return c;
    const [dx, dy] = steps[pick(steps.length)];
    return (y + dy) * side + x + dx;
  };
  communities.forEach((members, c) => {
    if (c > 0) add(members[0], skewed(communities[c % side > 0 ? c - 1 : c - side]));
    for (let i = 1; i < members.length; i++) add(members[i], members[Math.floor(i * random() ** 2)]);
  });
  while (k < m) {
    const c = pick(communities.length);
    const r = random();
    const other = r < 0.8 ? c : r < 0.98 ? neighbour(c) : pick(communities.length);
    add(skewed(communities[c]), skewed(communities[other]));
  }
  return { n, edges };
}
