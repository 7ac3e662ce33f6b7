// The layout half of the graph benchmark, run in the page: our wasm layout(s) and d3-force on the same
// seeded graph from the same start positions, 300 ticks each, alternating, timed with performance.now().

import { d3Layout } from "./d3_layout.mjs";
import { randomGraph } from "./graphs.mjs";
import { edgeSpread, stress } from "./quality.mjs";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const breathe = () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * `contenders` maps a name to a wasm module exporting `layout` and `initial_positions`. Each size gets one
 * untimed warm-up run per contender (JIT and wasm tier-up), then `runs` timed rounds; the order within
 * a round alternates so that neither side always runs first.
 */
export async function layoutBench(contenders, { sizes, edgesPerNode, ticks, runs, seed, log }) {
  const results = [];
  for (const n of sizes) {
    const { edges } = randomGraph(n, edgesPerNode, seed + n);
    const start = Object.values(contenders)[0].initial_positions(n, seed);
    const impls = Object.entries(contenders).map(([name, wasm]) => ({
      name,
      run: () => wasm.layout(n, edges, seed, ticks),
    }));
    impls.push({ name: "d3-force", run: () => d3Layout(n, edges, start, ticks) });
    const times = Object.fromEntries(impls.map((impl) => [impl.name, []]));
    const positions = {};
    for (const impl of impls) {
      positions[impl.name] = impl.run();
      await breathe();
    }
    for (let round = 0; round < runs; round++) {
      const order = round % 2 === 0 ? impls : [...impls].reverse();
      for (const impl of order) {
        const t0 = performance.now();
        const pos = impl.run();
        times[impl.name].push(performance.now() - t0);
        positions[impl.name] = pos;
        await breathe();
      }
      log(`layout ${n}: round ${round + 1}/${runs} ` + impls.map((i) => `${i.name} ${times[i.name].at(-1).toFixed(1)} ms`).join(", "));
    }
    // Runs of one round are next to each other in time: their ratio is robust to a machine whose load
    // drifts between rounds, so the speed-up is the median of the per-round ratios.
    const d3 = times["d3-force"];
    const rows = impls.map(({ name }) => ({
      name,
      times: times[name],
      median: median(times[name]),
      speedup: median(times[name].map((t, round) => d3[round] / t)),
      speedupRange: [Math.min(...times[name].map((t, round) => d3[round] / t)), Math.max(...times[name].map((t, round) => d3[round] / t))],
      stress: stress(n, edges, positions[name]),
      edgeSpread: edgeSpread(edges, positions[name]),
    }));
    results.push({ n, edges: edges.length / 2, ticks, rows });
  }
  return results;
}

export { median };
