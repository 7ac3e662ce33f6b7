// Entry of the graph benchmark page (bundled by esbuild with d3-force): loads the wasm builds, runs the
// layout and frame benchmarks, and leaves the results in `window.benchResult` for run.mjs to print.

import { frameBench } from "./frame_bench.mjs";
import { layoutBench } from "./layout_bench.mjs";

const log = (line) => console.log(line);

/** The wasm-bindgen module in `dir` (next to the page), initialised; null if that build is absent. */
async function load(dir) {
  try {
    const wasm = await import(new URL(`./${dir}/graph_bench.js`, location.href).href);
    await wasm.default();
    return wasm;
  } catch (error) {
    log(`no ${dir} build (${error.message}): skipped`);
    return null;
  }
}

async function main() {
  const params = new URLSearchParams(location.search);
  const runs = Number(params.get("runs") ?? 5);
  const sizes = (params.get("sizes") ?? "1000,5000").split(",").map(Number);
  const fast = await load("pkg");
  if (!fast) throw new Error("the bench-wasm build (pkg/) is missing: run `make bench-graph`");
  const contenders = { ours: fast };
  const appProfile = await load("pkg-app-profile");
  if (appProfile) contenders["ours (app profile)"] = appProfile;
  // Other builds exporting the same `layout` (e.g. a candidate change to layout.rs), by directory.
  for (const dir of (params.get("extra") ?? "").split(",").filter(Boolean)) {
    const wasm = await load(dir);
    if (wasm) contenders[dir] = wasm;
  }
  const layout = await layoutBench(contenders, { sizes, edgesPerNode: 3, ticks: 300, runs, seed: 1, log });
  const frames = Number(params.get("frames") ?? 120);
  const frame =
    fast.FrameBench && frames > 0
      ? await frameBench(fast, { nodes: 10_000, edgesPerNode: 3, frames, width: 1280, height: 720, seed: 2, log })
      : null;
  return { userAgent: navigator.userAgent, devicePixelRatio, runs, layout, frame };
}

main().then(
  (result) => (window.benchResult = result),
  (error) => (window.benchResult = { error: `${error.stack ?? error}` }),
);
