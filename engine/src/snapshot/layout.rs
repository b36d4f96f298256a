//! Where things are drawn on the mesh (a fixed 1000 × 560 canvas the SVG scales): services in
//! columns following the order's path left to right, the executor cluster in a ring, demo ping
//! nodes in a big ring. Pure functions, tested natively.

use crate::sim::world::NodeSummary;
use crate::sim::Micros;

pub const MESH_WIDTH: u32 = 1000;
pub const MESH_HEIGHT: u32 = 560;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const CENTER: Point = Point { x: MESH_WIDTH as f32 / 2.0, y: MESH_HEIGHT as f32 / 2.0 };
}

fn ring(center: Point, radius: f32, index: usize, count: usize, start_deg: f32) -> Point {
    let angle = (start_deg + 360.0 * index as f32 / count.max(1) as f32).to_radians();
    // libm, not the platform's sin/cos: the page and the native tests draw the same points.
    Point { x: center.x + radius * libm::cosf(angle), y: center.y + radius * libm::sinf(angle) }
}

/// One position per node, indexed like `nodes`.
pub fn place(nodes: &[NodeSummary]) -> Vec<Point> {
    let count_of = |service: &str| nodes.iter().filter(|n| n.service == service).count();
    let (executors, pings) = (count_of("executor"), count_of("ping"));
    let checkout = nodes.iter().any(|n| n.service == "orchestrator");
    let (mut exec_i, mut ping_i, mut other_i) = (0, 0, 0);
    nodes
        .iter()
        .map(|n| match n.service.as_str() {
            "client" => Point { x: 70.0, y: 280.0 },
            "orchestrator" => Point { x: 250.0, y: 280.0 },
            "verification" => Point { x: 450.0, y: 110.0 },
            "fraud" => Point { x: 450.0, y: 280.0 },
            "suggestions" => Point { x: 450.0, y: 450.0 },
            "queue" => Point { x: 640.0, y: 280.0 },
            "lock" => Point { x: 850.0, y: 60.0 },
            "executor" => {
                exec_i += 1;
                ring(Point { x: 850.0, y: 300.0 }, 110.0, exec_i - 1, executors, -90.0)
            }
            "ping" => {
                ping_i += 1;
                let (c, r) = if checkout { (Point { x: 500.0, y: 520.0 }, 30.0) } else { (Point::CENTER, 230.0) };
                ring(c, r, ping_i - 1, pings, -90.0)
            }
            _ => {
                other_i += 1;
                Point { x: 60.0 + 80.0 * other_i as f32, y: 40.0 }
            }
        })
        .collect()
}

/// How far a message sent at `sent` and due at `due` has travelled at `now`, in ‰.
pub fn progress_permille(sent: Micros, due: Micros, now: Micros) -> u32 {
    if due <= sent || now >= due {
        return 1000;
    }
    if now <= sent {
        return 0;
    }
    ((now - sent) * 1000 / (due - sent)) as u32
}

/// The point `permille` of the way from `a` to `b`, shifted a little to the right of the
/// direction of travel so messages going a→b and b→a don't sit on top of each other.
pub fn along(a: Point, b: Point, permille: u32) -> Point {
    let t = permille.min(1000) as f32 / 1000.0;
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len = libm::sqrtf(dx * dx + dy * dy).max(1.0);
    let (nx, ny) = (-dy / len * 7.0, dx / len * 7.0);
    Point { x: a.x + dx * t + nx, y: a.y + dy * t + ny }
}
