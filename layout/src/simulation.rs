//! The simulation itself: seeded start, link springs, many-body repulsion through the quadtree,
//! collisions and centering, cooled like d3-force.

use crate::quadtree::QuadTree;
use crate::{Graph, Params};

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
pub(crate) fn next(state: &mut u64) -> f32 {
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
