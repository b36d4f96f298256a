//! The space-time view's plain-data side: which lanes show in which order (grouped by service,
//! hidden ones left out), the time window (following now, or parked by the user), zooming and
//! panning, and the selected event's details in words (its vector clock with node names, its
//! cone's sizes). The geometry itself is the engine's (`engine::snapshot::spacetime::layout`).

use engine::sim::{Micros, NodeId};
use engine::snapshot::spacetime::layout::Viewport;
use engine::snapshot::spacetime::{Cone, LocalKind, MsgFate, StEvent, StKind};
use std::collections::BTreeSet;

/// The narrowest and widest windows offered (0.05 s to 5 min).
pub const SPAN_MIN_US: Micros = 50_000;
pub const SPAN_MAX_US: Micros = 300_000_000;
pub const LANE_HEIGHT_PX: f64 = 22.0;
/// Drawing width in SVG units (the SVG scales to its box).
pub const WIDTH_PX: f64 = 1_000.0;

/// Where the window sits: at now (following) or parked with its right edge at `t1_us`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub span_us: Micros,
    /// None = follow now.
    pub parked_t1_us: Option<Micros>,
}

impl Default for Window {
    fn default() -> Self {
        Self {
            span_us: 2_000_000,
            parked_t1_us: None,
        }
    }
}

impl Window {
    /// (t0, t1) at virtual time `now_us`. Early in a run the window starts at 0 and keeps its
    /// span, so the scale does not stretch as time passes.
    pub fn bounds(&self, now_us: Micros) -> (Micros, Micros) {
        let t1 = self.parked_t1_us.unwrap_or(now_us).min(now_us);
        if t1 < self.span_us {
            return (0, self.span_us);
        }
        (t1 - self.span_us, t1)
    }

    /// Halves (factor < 1) or doubles the span around the right edge, within the limits.
    pub fn zoom(self, zoom_in: bool) -> Self {
        let span = if zoom_in {
            self.span_us / 2
        } else {
            self.span_us.saturating_mul(2)
        };
        Self {
            span_us: span.clamp(SPAN_MIN_US, SPAN_MAX_US),
            ..self
        }
    }

    /// Moves by half a window; reaching now again resumes following.
    pub fn pan(self, now_us: Micros, later: bool) -> Self {
        let (_, t1) = self.bounds(now_us);
        let step = self.span_us / 2;
        let t1 = if later {
            t1.saturating_add(step)
        } else {
            t1.saturating_sub(step)
        };
        Self {
            parked_t1_us: (t1 < now_us).then_some(t1.max(self.span_us.min(now_us))),
            ..self
        }
    }
}

/// Lanes top to bottom: nodes grouped by service in first-seen order (the snapshot lists a
/// service's nodes together), hidden ones left out.
pub fn lanes(nodes: &[(NodeId, String)], hidden: &BTreeSet<NodeId>) -> Vec<NodeId> {
    let mut services: Vec<&str> = Vec::new();
    for (_, service) in nodes {
        if !services.contains(&service.as_str()) {
            services.push(service);
        }
    }
    services
        .iter()
        .flat_map(|s| nodes.iter().filter(move |(_, svc)| svc == s))
        .map(|(id, _)| *id)
        .filter(|id| !hidden.contains(id))
        .collect()
}

pub fn viewport(
    window: Window,
    now_us: Micros,
    lanes: Vec<NodeId>,
    selected: Option<u64>,
) -> Viewport {
    let (t0_us, t1_us) = window.bounds(now_us);
    Viewport {
        t0_us,
        t1_us,
        width_px: WIDTH_PX,
        lane_height_px: LANE_HEIGHT_PX,
        lanes,
        selected,
        order_corr: 0,
    }
}

/// The selected event in words, for the details box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventDetails {
    pub title: String,
    /// (node name, count) for every non-zero entry of the event's world vector clock.
    pub clock: Vec<(String, u32)>,
    pub past: usize,
    pub future: usize,
    pub concurrent: usize,
}

pub fn details(ev: &StEvent, cone: &Cone, names: &[String]) -> EventDetails {
    let name = |id: NodeId| {
        names
            .get(id.0 as usize)
            .cloned()
            .unwrap_or_else(|| format!("node {}", id.0))
    };
    let what = match &ev.kind {
        StKind::Send {
            label, to, fate, ..
        } => format!(
            "sends {label} to {}{}",
            name(*to),
            match fate {
                MsgFate::OnWire => " (on the wire)".to_string(),
                MsgFate::Delivered(_) => String::new(),
                MsgFate::Dropped(r) => format!(" (dropped: {})", r.as_str()),
            }
        ),
        StKind::Receive { label, from, .. } => format!("receives {label} from {}", name(*from)),
        StKind::Local { kind, label } => format!("{}: {label}", local_word(*kind)),
    };
    EventDetails {
        title: format!("{} at {:.3} s {what}", name(ev.node), ev.t_us as f64 / 1e6),
        clock: ev
            .clock
            .0
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .map(|(i, n)| (name(NodeId(i as u32)), *n))
            .collect(),
        past: cone.past.len(),
        future: cone.future.len(),
        concurrent: cone.concurrent.len(),
    }
}

fn local_word(kind: LocalKind) -> &'static str {
    match kind {
        LocalKind::Crash => "crash",
        LocalKind::Restart => "restart",
        LocalKind::Pause => "pause",
        LocalKind::Resume => "resume",
        LocalKind::BecameLeader => "leader",
        LocalKind::SteppedDown => "step down",
        LocalKind::DagEvent => "checkout event",
        LocalKind::Order => "order",
        LocalKind::Txn => "2PC",
        LocalKind::Database => "database",
        LocalKind::Payment => "payment",
        LocalKind::Llm => "LLM",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_follows_now_until_panned_and_resumes_when_panned_back() {
        let w = Window::default();
        assert_eq!(w.bounds(10_000_000), (8_000_000, 10_000_000));
        assert_eq!(w.bounds(500_000), (0, 2_000_000));
        let back = w.pan(10_000_000, false);
        assert_eq!(back.bounds(10_000_000), (7_000_000, 9_000_000));
        assert_eq!(
            back.bounds(20_000_000),
            (7_000_000, 9_000_000),
            "parked stays put"
        );
        let again = back.pan(10_000_000, true);
        assert_eq!(again.parked_t1_us, None, "back at now: following again");
    }

    #[test]
    fn zoom_halves_and_doubles_within_limits() {
        let w = Window::default().zoom(true);
        assert_eq!(w.span_us, 1_000_000);
        let mut tight = w;
        for _ in 0..20 {
            tight = tight.zoom(true);
        }
        assert_eq!(tight.span_us, SPAN_MIN_US);
        let mut wide = w;
        for _ in 0..20 {
            wide = wide.zoom(false);
        }
        assert_eq!(wide.span_us, SPAN_MAX_US);
    }

    #[test]
    fn lanes_group_by_service_and_leave_out_hidden_nodes() {
        let nodes: Vec<(NodeId, String)> = [
            (0, "client"),
            (1, "executor"),
            (2, "queue"),
            (3, "executor"),
        ]
        .iter()
        .map(|(i, s)| (NodeId(*i), s.to_string()))
        .collect();
        let hidden: BTreeSet<NodeId> = [NodeId(2)].into();
        assert_eq!(
            lanes(&nodes, &hidden),
            vec![NodeId(0), NodeId(1), NodeId(3)]
        );
    }

    #[test]
    fn details_name_the_nodes_of_the_clock_and_count_the_cone() {
        use engine::snapshot::spacetime::WorldClock;
        let ev = StEvent {
            seq: 7,
            t_us: 1_500_000,
            node: NodeId(1),
            corr: 0,
            kind: StKind::Receive {
                msg: 3,
                from: NodeId(0),
                label: "Vote",
                send_seq: Some(2),
            },
            clock: WorldClock(vec![2, 5, 0]),
        };
        let cone = Cone {
            focus: 7,
            past: vec![1, 2],
            future: vec![9],
            concurrent: vec![],
        };
        let names = vec![
            "executor-0".to_string(),
            "executor-1".to_string(),
            "queue".to_string(),
        ];
        let d = details(&ev, &cone, &names);
        assert_eq!(
            d.title,
            "executor-1 at 1.500 s receives Vote from executor-0"
        );
        assert_eq!(
            d.clock,
            vec![("executor-0".to_string(), 2), ("executor-1".to_string(), 5)]
        );
        assert_eq!((d.past, d.future, d.concurrent), (2, 1, 0));
    }
}
