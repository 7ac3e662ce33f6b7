//! The Barnes–Hut quadtree: built flat over the positions each tick, it answers the many-body
//! force on a node and which nodes come near a point (for collisions).

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
    pub(crate) order: Vec<u32>,
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
