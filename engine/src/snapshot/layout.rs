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
    pub const CENTER: Point = Point {
        x: MESH_WIDTH as f32 / 2.0,
        y: MESH_HEIGHT as f32 / 2.0,
    };
}

fn ring(center: Point, radius: f32, index: usize, count: usize, start_deg: f32) -> Point {
    let angle = (start_deg + 360.0 * index as f32 / count.max(1) as f32).to_radians();
    // libm, not the platform's sin/cos: the page and the native tests draw the same points.
    Point {
        x: center.x + radius * libm::cosf(angle),
        y: center.y + radius * libm::sinf(angle),
    }
}

/// One position per node, indexed like `nodes`. With the fulfilment half (books database,
/// payment) the order's path is squeezed left to make room for a third column: the database
/// replicas in a ring at the top right and the payment node below them.
pub fn place(nodes: &[NodeSummary]) -> Vec<Point> {
    let count_of = |service: &str| nodes.iter().filter(|n| n.service == service).count();
    let (executors, pings, dbs) = (count_of("executor"), count_of("ping"), count_of("books-db"));
    let checkout = nodes.iter().any(|n| n.service == "orchestrator");
    let columns = if dbs > 0 || count_of("payment") > 0 {
        &FULFILMENT
    } else {
        &CHECKOUT
    };
    let (mut exec_i, mut ping_i, mut db_i, mut other_i) = (0, 0, 0, 0);
    nodes
        .iter()
        .map(|n| match n.service.as_str() {
            "executor" => {
                exec_i += 1;
                ring(
                    columns.executors,
                    columns.executor_radius,
                    exec_i - 1,
                    executors,
                    -90.0,
                )
            }
            "books-db" => {
                db_i += 1;
                ring(columns.db, DB_RADIUS, db_i - 1, dbs, -90.0)
            }
            "ping" => {
                ping_i += 1;
                let (c, r) = if checkout {
                    (Point { x: 500.0, y: 520.0 }, 30.0)
                } else {
                    (Point::CENTER, 230.0)
                };
                ring(c, r, ping_i - 1, pings, -90.0)
            }
            service => columns.fixed(service).unwrap_or_else(|| {
                other_i += 1;
                Point {
                    x: 60.0 + 80.0 * other_i as f32,
                    y: 40.0,
                }
            }),
        })
        .collect()
}

/// Where each service goes in one deployment shape.
struct Columns {
    client: f32,
    orchestrator: f32,
    validators: f32,
    queue: f32,
    executors: Point,
    executor_radius: f32,
    lock: Point,
    db: Point,
    payment: Point,
}

const CHECKOUT: Columns = Columns {
    client: 70.0,
    orchestrator: 250.0,
    validators: 450.0,
    queue: 640.0,
    executors: Point { x: 850.0, y: 300.0 },
    executor_radius: 110.0,
    lock: Point { x: 850.0, y: 60.0 },
    db: Point { x: 850.0, y: 300.0 },
    payment: Point { x: 960.0, y: 520.0 },
};

const FULFILMENT: Columns = Columns {
    client: 60.0,
    orchestrator: 195.0,
    validators: 345.0,
    queue: 495.0,
    executors: Point { x: 655.0, y: 290.0 },
    executor_radius: 92.0,
    lock: Point { x: 655.0, y: 70.0 },
    db: Point { x: 880.0, y: 165.0 },
    payment: Point { x: 880.0, y: 435.0 },
};

/// The books-database ring's radius.
pub const DB_RADIUS: f32 = 80.0;

impl Columns {
    fn fixed(&self, service: &str) -> Option<Point> {
        let at = |x: f32, y: f32| Some(Point { x, y });
        match service {
            "client" => at(self.client, 280.0),
            "orchestrator" => at(self.orchestrator, 280.0),
            "verification" => at(self.validators, 110.0),
            "fraud" => at(self.validators, 280.0),
            "suggestions" => at(self.validators, 450.0),
            "queue" => at(self.queue, 280.0),
            "lock" => Some(self.lock),
            "payment" => Some(self.payment),
            _ => None,
        }
    }
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
    Point {
        x: a.x + dx * t + nx,
        y: a.y + dy * t + ny,
    }
}
