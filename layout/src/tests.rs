//! Checks of the quadtree against brute force, and of the simulation's determinism and convergence.

use crate::simulation::next;
use crate::*;

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
