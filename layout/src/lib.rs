//! Force-directed graph layout in plain Rust, for both the server (first paint) and the browser:
//! many-body repulsion approximated with a Barnes–Hut quadtree (theta configurable), link springs
//! and centering, cooled like d3-force (alpha decays from 1 to `alpha_min` in about 300 ticks).
//! Deterministic for a given graph, parameters and seed.

/// A graph to lay out: `n` nodes and weighted edges between node indices.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub n: usize,
    pub edges: Vec<(usize, usize, f32)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Barnes–Hut opening angle: larger is faster and coarser (0 is exact).
    pub theta: f32,
    /// Many-body strength (negative repels), as d3's `forceManyBody().strength`.
    pub charge: f32,
    pub link_distance: f32,
    pub center_strength: f32,
    pub velocity_decay: f32,
    pub alpha_min: f32,
    /// Ticks over which alpha falls from 1 to `alpha_min`.
    pub ticks: u32,
    /// Collision strength (0 turns it off): overlapping nodes, by `Simulation::radius`, are pushed
    /// apart, as d3's `forceCollide`.
    pub collide: f32,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            theta: 0.9,
            charge: -30.0,
            link_distance: 30.0,
            center_strength: 0.05,
            velocity_decay: 0.4,
            alpha_min: 0.001,
            ticks: 300,
            collide: 0.0,
        }
    }
}

/// "No node" in a cell's `point`.
const NONE: u32 = u32::MAX;
const MAX_DEPTH: u32 = 40;

/// One cell of the quadtree, 32 bytes: its total mass (nodes), centre of mass, square, the first
/// of its four consecutive children (0 for a leaf: the root is never a child) and a leaf's node.
#[derive(Debug, Clone, Copy)]
struct Cell {
    cx: f32,
    cy: f32,
    mass: f32,
    size: f32,
    x0: f32,
    y0: f32,
    child: u32,
    point: u32,
}

impl Cell {
    fn leaf(x0: f32, y0: f32, size: f32) -> Self {
        Self { cx: 0.0, cy: 0.0, mass: 0.0, size, x0, y0, child: 0, point: NONE }
    }

    fn quadrant(&self, p: [f32; 2]) -> u32 {
        let half = self.size / 2.0;
        u32::from(p[0] >= self.x0 + half) + 2 * u32::from(p[1] >= self.y0 + half)
    }
}

/// A Barnes–Hut quadtree over a set of positions, stored flat and rebuilt into the same buffers
/// every tick (no allocation once warm).
#[derive(Debug, Clone, Default)]
pub struct QuadTree {
    cells: Vec<Cell>,
    /// Nodes in depth-first tree order: a force pass in this order walks similar paths one
    /// after another (the result does not depend on the order).
    order: Vec<u32>,
    stack: Vec<u32>,
}

impl QuadTree {
    pub fn build(pos: &[[f32; 2]]) -> Self {
        let mut tree = Self::default();
        tree.rebuild(pos);
        tree
    }

    pub fn rebuild(&mut self, pos: &[[f32; 2]]) {
        let (mut min_x, mut min_y, mut max_x, mut max_y) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for p in pos {
            min_x = min_x.min(p[0]);
            min_y = min_y.min(p[1]);
            max_x = max_x.max(p[0]);
            max_y = max_y.max(p[1]);
        }
        let size = (max_x - min_x).max(max_y - min_y).max(1.0) * 1.0001;
        self.cells.clear();
        self.cells.push(Cell::leaf(min_x, min_y, size));
        for i in 0..pos.len() {
            self.insert(i as u32, pos);
        }
        self.summarise(pos);
        self.order.clear();
        self.stack.clear();
        self.stack.push(0);
        while let Some(c) = self.stack.pop() {
            let cell = self.cells[c as usize];
            if cell.child != 0 {
                for k in (0..4).rev() {
                    self.stack.push(cell.child + k);
                }
            } else if cell.point != NONE {
                self.order.push(cell.point);
            }
        }
        if self.order.len() != pos.len() {
            // Coincident points share a leaf: fall back to index order.
            self.order.clear();
            self.order.extend(0..pos.len() as u32);
        }
    }

    fn insert(&mut self, i: u32, pos: &[[f32; 2]]) {
        let p = pos[i as usize];
        let (mut c, mut depth) = (0usize, 0u32);
        loop {
            let cell = self.cells[c];
            if cell.child != 0 {
                c = (cell.child + cell.quadrant(p)) as usize;
                depth += 1;
                continue;
            }
            if cell.point == NONE && cell.mass == 0.0 {
                self.cells[c].point = i;
                self.cells[c].mass = 1.0;
                return;
            }
            // Coincident points (or the depth limit) share a leaf: its mass counts them all.
            if depth >= MAX_DEPTH || (cell.point != NONE && pos[cell.point as usize] == p) {
                self.cells[c].mass += 1.0;
                return;
            }
            // Split: the leaf's node (with any coincident mass) moves down a level; `i` goes on.
            let first = self.cells.len() as u32;
            let half = cell.size / 2.0;
            for k in 0..4 {
                let (dx, dy) = ((k % 2) as f32, (k / 2) as f32);
                self.cells.push(Cell::leaf(cell.x0 + dx * half, cell.y0 + dy * half, half));
            }
            self.cells[c].child = first;
            self.cells[c].point = NONE;
            self.cells[c].mass = 0.0;
            if cell.point != NONE {
                let k = (first + cell.quadrant(pos[cell.point as usize])) as usize;
                self.cells[k].point = cell.point;
                self.cells[k].mass = cell.mass;
            }
        }
    }

    /// Children always come after their parent, so one backward pass fills masses bottom-up.
    fn summarise(&mut self, pos: &[[f32; 2]]) {
        for c in (0..self.cells.len()).rev() {
            let cell = self.cells[c];
            if cell.child != 0 {
                let (mut m, mut sx, mut sy) = (0.0, 0.0, 0.0);
                for k in 0..4 {
                    let ch = self.cells[(cell.child + k) as usize];
                    m += ch.mass;
                    sx += ch.cx * ch.mass;
                    sy += ch.cy * ch.mass;
                }
                let cell = &mut self.cells[c];
                cell.mass = m;
                (cell.cx, cell.cy) = if m > 0.0 { (sx / m, sy / m) } else { (0.0, 0.0) };
            } else if cell.point != NONE {
                let p = pos[cell.point as usize];
                (self.cells[c].cx, self.cells[c].cy) = (p[0], p[1]);
            }
        }
    }

    /// The many-body force on node `i` at `p`: `charge · Σ (p − c) / d²` over cells seen from `p`
    /// at an angle under `theta` (or single nodes), skipping `i` itself.
    pub fn force(&mut self, i: usize, p: [f32; 2], charge: f32, theta: f32) -> [f32; 2] {
        let theta2 = theta * theta;
        let i = i as u32;
        let mut f = [0.0f32; 2];
        let (cells, stack) = (&self.cells, &mut self.stack);
        stack.clear();
        stack.push(0);
        while let Some(c) = stack.pop() {
            let cell = &cells[c as usize];
            let (dx, dy) = (cell.cx - p[0], cell.cy - p[1]);
            let d2 = dx * dx + dy * dy;
            if cell.child != 0 && cell.size * cell.size >= theta2 * d2 {
                for k in 0..4 {
                    if cells[(cell.child + k) as usize].mass != 0.0 {
                        stack.push(cell.child + k);
                    }
                }
                continue;
            }
            let mass = if cell.point == i { cell.mass - 1.0 } else { cell.mass };
            if mass > 0.0 && d2 > 1e-6 {
                // d3's convention: strength · mass / d², along (c − p); negative repels.
                let s = charge * mass / d2;
                f[0] += dx * s;
                f[1] += dy * s;
            }
        }
        f
    }

    /// Nodes stored in leaves that come within `reach` of `p` (one node per leaf, which is all a
    /// collision pass needs; coincident points beyond the first are left to the jitter).
    pub fn near(&mut self, p: [f32; 2], reach: f32, out: &mut Vec<usize>) {
        out.clear();
        let (cells, stack) = (&self.cells, &mut self.stack);
        stack.clear();
        stack.push(0);
        while let Some(c) = stack.pop() {
            let cell = &cells[c as usize];
            if cell.mass == 0.0
                || p[0] + reach < cell.x0
                || p[0] - reach > cell.x0 + cell.size
                || p[1] + reach < cell.y0
                || p[1] - reach > cell.y0 + cell.size
            {
                continue;
            }
            if cell.child != 0 {
                stack.extend((0..4).map(|k| cell.child + k));
            } else if cell.point != NONE {
                out.push(cell.point as usize);
            }
        }
    }
}

/// A running simulation.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub graph: Graph,
    pub params: Params,
    pub pos: Vec<[f32; 2]>,
    vel: Vec<[f32; 2]>,
    /// Per link: endpoints, strength and bias, computed once as d3's forceLink does.
    links: Vec<(u32, u32, f32, f32)>,
    /// The quadtree, rebuilt into the same buffers every tick.
    tree: QuadTree,
    pub alpha: f32,
    alpha_decay: f32,
    /// Per-node radius for the collision force.
    pub radius: Vec<f32>,
    /// Nodes held in place (the focus; a node being dragged).
    pinned: Vec<Option<[f32; 2]>>,
}

/// A small deterministic generator (xorshift64*) for the initial jitter.
fn next(state: &mut u64) -> f32 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    ((state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 40) as f32) / ((1u64 << 24) as f32)
}

impl Simulation {
    /// Nodes start on a phyllotaxis spiral (as in d3), nudged by a seeded jitter.
    pub fn new(graph: Graph, params: Params, seed: u64) -> Self {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let angle = std::f32::consts::PI * (3.0 - 5f32.sqrt());
        let pos = (0..graph.n)
            .map(|i| {
                let r = 10.0 * (0.5 + i as f32).sqrt();
                let a = i as f32 * angle;
                [r * a.cos() + next(&mut state) - 0.5, r * a.sin() + next(&mut state) - 0.5]
            })
            .collect();
        let mut degree = vec![0.0f32; graph.n];
        for &(a, b, _) in &graph.edges {
            degree[a] += 1.0;
            degree[b] += 1.0;
        }
        // d3's forceLink: strength weight / min degree, bias by degree.
        let links = graph
            .edges
            .iter()
            .map(|&(a, b, weight)| {
                let strength = weight.clamp(0.1, 3.0) / degree[a].min(degree[b]).max(1.0);
                let bias = degree[a] / (degree[a] + degree[b]).max(1.0);
                (a as u32, b as u32, strength, bias)
            })
            .collect();
        let alpha_decay = 1.0 - params.alpha_min.powf(1.0 / params.ticks.max(1) as f32);
        Self {
            vel: vec![[0.0; 2]; graph.n],
            radius: vec![5.0; graph.n],
            pinned: vec![None; graph.n],
            pos,
            links,
            tree: QuadTree::default(),
            graph,
            params,
            alpha: 1.0,
            alpha_decay,
        }
    }

    /// Holds node `i` at `p` until `unpin`.
    pub fn pin(&mut self, i: usize, p: [f32; 2]) {
        if i < self.pos.len() {
            self.pinned[i] = Some(p);
            self.pos[i] = p;
            self.vel[i] = [0.0; 2];
        }
    }

    pub fn unpin(&mut self, i: usize) {
        if i < self.pinned.len() {
            self.pinned[i] = None;
        }
    }

    /// Warms the simulation back up (after a drag or new nodes), at most to `alpha`.
    pub fn reheat(&mut self, alpha: f32) {
        self.alpha = self.alpha.max(alpha);
    }

    pub fn is_settled(&self) -> bool {
        self.alpha < self.params.alpha_min
    }

    /// One step: forces scaled by alpha, then velocity decay and integration.
    pub fn tick(&mut self) {
        self.alpha += -self.alpha * self.alpha_decay;
        let (alpha, p) = (self.alpha, self.params);
        let (pos, vel) = (&mut self.pos, &mut self.vel);
        for &(a, b, strength, bias) in &self.links {
            let (a, b) = (a as usize, b as usize);
            let dx = pos[b][0] + vel[b][0] - pos[a][0] - vel[a][0];
            let dy = pos[b][1] + vel[b][1] - pos[a][1] - vel[a][1];
            let len = (dx * dx + dy * dy).sqrt().max(1e-3);
            let l = (len - p.link_distance) / len * alpha * strength;
            vel[b][0] -= dx * l * bias;
            vel[b][1] -= dy * l * bias;
            vel[a][0] += dx * l * (1.0 - bias);
            vel[a][1] += dy * l * (1.0 - bias);
        }
        // Many-body repulsion through the quadtree, in tree order (neighbours walk alike).
        self.tree.rebuild(pos);
        let order = std::mem::take(&mut self.tree.order);
        for &i in &order {
            let i = i as usize;
            let f = self.tree.force(i, pos[i], p.charge, p.theta);
            vel[i][0] += f[0] * alpha;
            vel[i][1] += f[1] * alpha;
        }
        self.tree.order = order;
        if p.collide > 0.0 {
            self.collide();
        }
        // Centering towards the origin.
        for v in 0..self.pos.len() {
            self.vel[v][0] -= self.pos[v][0] * p.center_strength * alpha;
            self.vel[v][1] -= self.pos[v][1] * p.center_strength * alpha;
        }
        for i in 0..self.pos.len() {
            if let Some(at) = self.pinned[i] {
                self.pos[i] = at;
                self.vel[i] = [0.0; 2];
                continue;
            }
            self.vel[i][0] *= 1.0 - p.velocity_decay;
            self.vel[i][1] *= 1.0 - p.velocity_decay;
            self.pos[i][0] += self.vel[i][0];
            self.pos[i][1] += self.vel[i][1];
        }
    }

    /// Pushes overlapping pairs apart along the line between them, the smaller node moving more
    /// (d3's `forceCollide` with one iteration), using the tick's quadtree to find neighbours.
    fn collide(&mut self) {
        let max_r = self.radius.iter().copied().fold(0.0f32, f32::max);
        let mut near = Vec::with_capacity(32);
        for i in 0..self.pos.len() {
            let (ri, pi) = (self.radius[i], [self.pos[i][0] + self.vel[i][0], self.pos[i][1] + self.vel[i][1]]);
            self.tree.near(self.pos[i], ri + max_r, &mut near);
            for &j in &near {
                if j <= i {
                    continue;
                }
                let r = ri + self.radius[j];
                let (mut dx, mut dy) =
                    (pi[0] - self.pos[j][0] - self.vel[j][0], pi[1] - self.pos[j][1] - self.vel[j][1]);
                let mut d2 = dx * dx + dy * dy;
                if d2 >= r * r {
                    continue;
                }
                if d2 < 1e-6 {
                    // Coincident: separate along a direction fixed by the pair, for determinism.
                    let a = (i * 7919 + j) as f32;
                    (dx, dy) = (a.cos() * 1e-2, a.sin() * 1e-2);
                    d2 = dx * dx + dy * dy;
                }
                let d = d2.sqrt();
                let l = (r - d) / d * self.params.collide;
                let (wi, wj) = (self.radius[j] * self.radius[j], ri * ri);
                let share = wi / (wi + wj).max(1e-6);
                self.vel[i][0] += dx * l * share;
                self.vel[i][1] += dy * l * share;
                self.vel[j][0] -= dx * l * (1.0 - share);
                self.vel[j][1] -= dy * l * (1.0 - share);
            }
        }
    }

    /// Runs until settled (or `max_ticks`), returning the ticks run.
    pub fn run(&mut self, max_ticks: u32) -> u32 {
        let mut ticks = 0;
        while !self.is_settled() && ticks < max_ticks {
            self.tick();
            ticks += 1;
        }
        ticks
    }

    /// Stress-like energy: how far links are from their rest length, plus a repulsion term;
    /// lower is a better layout. Used to check that the simulation converges.
    pub fn spring_energy(&self) -> f64 {
        self.graph
            .edges
            .iter()
            .map(|&(a, b, _)| {
                let (dx, dy) = (f64::from(self.pos[a][0] - self.pos[b][0]), f64::from(self.pos[a][1] - self.pos[b][1]));
                let d = (dx * dx + dy * dy).sqrt() - f64::from(self.params.link_distance);
                d * d
            })
            .sum::<f64>()
            / self.graph.edges.len().max(1) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn random_graph(n: usize, edges_per_node: usize, seed: u64) -> Graph {
        let mut state = seed | 1;
        let mut edges = Vec::new();
        for a in 1..n {
            for _ in 0..edges_per_node {
                let b = (next(&mut state) * a as f32) as usize % a;
                edges.push((a, b, 1.0));
            }
        }
        Graph { n, edges }
    }

    fn brute_force(pos: &[[f32; 2]], i: usize, charge: f32) -> [f32; 2] {
        let mut f = [0.0f32; 2];
        for (j, q) in pos.iter().enumerate() {
            let (dx, dy) = (q[0] - pos[i][0], q[1] - pos[i][1]);
            let d2 = dx * dx + dy * dy;
            if j != i && d2 > 1e-6 {
                f[0] += dx * charge / d2;
                f[1] += dy * charge / d2;
            }
        }
        f
    }

    #[test]
    fn the_quadtree_force_matches_brute_force_within_theta_error() {
        let sim = Simulation::new(random_graph(800, 1, 7), Params::default(), 42);
        let mut tree = QuadTree::build(&sim.pos);
        let mut exact = QuadTree::build(&sim.pos);
        let mut errors: Vec<f32> = (0..sim.pos.len())
            .map(|i| {
                let truth = brute_force(&sim.pos, i, -30.0);
                let approx = tree.force(i, sim.pos[i], -30.0, 0.5);
                let norm = (truth[0].hypot(truth[1])).max(1e-6);
                (approx[0] - truth[0]).hypot(approx[1] - truth[1]) / norm
            })
            .collect();
        errors.sort_by(f32::total_cmp);
        let median = errors[errors.len() / 2];
        let p95 = errors[errors.len() * 95 / 100];
        assert!(median < 0.02, "median relative error {median}");
        assert!(p95 < 0.10, "p95 relative error {p95}");
        // theta = 0 opens every cell: the exact sum.
        for i in [0, 17, 399] {
            let truth = brute_force(&sim.pos, i, -30.0);
            let f = exact.force(i, sim.pos[i], -30.0, 0.0);
            assert!((f[0] - truth[0]).abs() < 1e-3 && (f[1] - truth[1]).abs() < 1e-3, "node {i}");
        }
    }

    #[test]
    fn the_layout_is_deterministic_for_a_seed() {
        let mut a = Simulation::new(random_graph(300, 2, 3), Params::default(), 9);
        let mut b = Simulation::new(random_graph(300, 2, 3), Params::default(), 9);
        a.run(100);
        b.run(100);
        assert_eq!(a.pos, b.pos);
        let mut c = Simulation::new(random_graph(300, 2, 3), Params::default(), 10);
        c.run(100);
        assert_ne!(a.pos, c.pos);
    }

    #[test]
    fn a_small_graph_converges_and_its_links_relax() {
        let mut sim = Simulation::new(random_graph(120, 2, 5), Params::default(), 1);
        let before = sim.spring_energy();
        let ticks = sim.run(1_000);
        assert!(sim.is_settled());
        assert!((250..=350).contains(&ticks), "{ticks} ticks");
        let after = sim.spring_energy();
        assert!(after < before, "energy {before} -> {after}");
        assert!(sim.pos.iter().all(|p| p[0].is_finite() && p[1].is_finite()));
    }

    #[test]
    fn coincident_points_do_not_break_the_tree() {
        let pos = vec![[1.0, 1.0]; 50];
        let mut tree = QuadTree::build(&pos);
        let f = tree.force(0, pos[0], -30.0, 0.9);
        assert!(f[0].is_finite() && f[1].is_finite());
    }
}
