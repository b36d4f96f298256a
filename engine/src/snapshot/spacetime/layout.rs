//! Where the space-time diagram draws things, for one viewport: a lane per shown node (in the
//! order asked), a dot per event at (time → x, lane → y), an arrow per message, a cross per
//! drop, and the selected event's cone marked on each. Pure geometry on plain numbers, so the
//! component only emits SVG and the rules are tested natively.
//!
//! Only what is visible is laid out: events outside the time window or on hidden lanes are
//! skipped, and arrows are kept when either end is visible (clipped by the SVG). Level of
//! detail: when several events of one lane fall within `MIN_DOT_GAP_PX`, they become one dot
//! with a count, and when the window holds more messages than `ARROWS_MAX` only the arrows of
//! the selected event's cone (or of the selected order) are drawn — ten thousand arrows in a
//! 1,000-pixel strip are ink, not information.

use super::{Causality, MsgFate, SpaceTime, StEvent, StKind};
use crate::sim::{Micros, NodeId};

/// Events closer than this on one lane merge into one dot.
pub const MIN_DOT_GAP_PX: f64 = 3.0;
/// Past this many arrows in the window, only the selection's arrows are drawn.
pub const ARROWS_MAX: usize = 1_500;

#[derive(Clone, Debug, PartialEq)]
pub struct Viewport {
    pub t0_us: Micros,
    pub t1_us: Micros,
    pub width_px: f64,
    pub lane_height_px: f64,
    /// Lanes top to bottom; nodes not listed are hidden.
    pub lanes: Vec<NodeId>,
    pub selected: Option<u64>,
    /// Highlight one order's events and messages (its correlation id; 0 = none).
    pub order_corr: u64,
}

/// An event's relation to the selected one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConeRole {
    None,
    Selected,
    Past,
    Future,
    Concurrent,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Dot {
    /// The first event's seq (the one a click selects).
    pub seq: u64,
    pub x: f64,
    pub y: f64,
    /// Events merged into this dot (1 = a single event).
    pub count: u32,
    pub role: ConeRole,
    pub in_order: bool,
    /// The event a click selects is a receive (it has a merge to explain).
    pub receive: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub send_seq: u64,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    pub label: &'static str,
    /// False while the message is still on the wire (drawn to where it is due).
    pub arrived: bool,
    pub dropped: bool,
    pub role: ConeRole,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    /// (node, y of the lane's centre line).
    pub lanes: Vec<(NodeId, f64)>,
    pub dots: Vec<Dot>,
    pub arrows: Vec<Arrow>,
    /// Arrows left out by the level of detail.
    pub arrows_hidden: usize,
}

impl Viewport {
    pub fn x(&self, t_us: Micros) -> f64 {
        let span = self.t1_us.saturating_sub(self.t0_us).max(1) as f64;
        (t_us as f64 - self.t0_us as f64) / span * self.width_px
    }

    fn lane_y(&self, node: NodeId) -> Option<f64> {
        let i = self.lanes.iter().position(|n| *n == node)?;
        Some((i as f64 + 0.5) * self.lane_height_px)
    }
}

pub fn lay_out(st: &SpaceTime, vp: &Viewport) -> Frame {
    let selected = vp.selected.and_then(|s| st.event(s));
    let role = |ev: &StEvent| match selected {
        None => ConeRole::None,
        Some(f) if f.seq == ev.seq => ConeRole::Selected,
        Some(f) => match ev.clock.compare(&f.clock) {
            Causality::Before => ConeRole::Past,
            Causality::After => ConeRole::Future,
            _ => ConeRole::Concurrent,
        },
    };
    let visible: Vec<&StEvent> = st
        .events_between(vp.t0_us, vp.t1_us)
        .filter(|e| vp.lane_y(e.node).is_some())
        .collect();
    let mut frame = Frame {
        lanes: vp
            .lanes
            .iter()
            .filter_map(|n| Some((*n, vp.lane_y(*n)?)))
            .collect(),
        dots: dots(&visible, vp, &role),
        ..Default::default()
    };
    let arrows = arrows(st, &visible, vp, &role);
    if arrows.len() > ARROWS_MAX {
        let total = arrows.len();
        frame.arrows = arrows
            .into_iter()
            .filter(|a| a.role != ConeRole::None && a.role != ConeRole::Concurrent)
            .collect();
        frame.arrows_hidden = total - frame.arrows.len();
    } else {
        frame.arrows = arrows;
    }
    frame
}

/// One dot per event, merging neighbours on a lane closer than `MIN_DOT_GAP_PX`; a merged dot
/// keeps the strongest cone role among its events (the selection must never hide in a clump).
fn dots(visible: &[&StEvent], vp: &Viewport, role: &dyn Fn(&StEvent) -> ConeRole) -> Vec<Dot> {
    let mut out: Vec<Dot> = Vec::new();
    // The last dot drawn on each lane, by lane index.
    let mut last_on_lane: Vec<Option<usize>> = vec![None; vp.lanes.len()];
    for ev in visible {
        let Some(lane) = vp.lanes.iter().position(|n| *n == ev.node) else {
            continue;
        };
        let (x, r, in_order) = (
            vp.x(ev.t_us),
            role(ev),
            vp.order_corr != 0 && ev.corr == vp.order_corr,
        );
        if let Some(i) = last_on_lane[lane].filter(|&i| x - out[i].x < MIN_DOT_GAP_PX) {
            let dot = &mut out[i];
            dot.count += 1;
            dot.in_order |= in_order;
            if rank(r) > rank(dot.role) {
                dot.role = r;
                dot.seq = ev.seq;
                dot.receive = matches!(ev.kind, super::StKind::Receive { .. });
            }
            continue;
        }
        last_on_lane[lane] = Some(out.len());
        out.push(Dot {
            seq: ev.seq,
            x,
            y: (lane as f64 + 0.5) * vp.lane_height_px,
            count: 1,
            role: r,
            in_order,
            receive: matches!(ev.kind, super::StKind::Receive { .. }),
        });
    }
    out
}

fn rank(r: ConeRole) -> u8 {
    match r {
        ConeRole::Selected => 4,
        ConeRole::Past | ConeRole::Future => 3,
        ConeRole::Concurrent => 1,
        ConeRole::None => 0,
    }
}

/// Arrows for every message with an end in the window: visible sends (to their receive, drop
/// or due time) and visible receives whose send is before the window.
fn arrows(
    st: &SpaceTime,
    visible: &[&StEvent],
    vp: &Viewport,
    role: &dyn Fn(&StEvent) -> ConeRole,
) -> Vec<Arrow> {
    let mut out = Vec::new();
    for ev in visible {
        match &ev.kind {
            StKind::Send {
                to,
                label,
                deliver_at_us,
                fate,
                ..
            } => {
                let Some(y2) = vp.lane_y(*to) else { continue };
                let (t2, arrived, dropped) = match fate {
                    MsgFate::Delivered(seq) => match st.event(*seq) {
                        Some(r) => (r.t_us, true, false),
                        None => continue,
                    },
                    MsgFate::OnWire => (*deliver_at_us, false, false),
                    MsgFate::Dropped(_) => ((ev.t_us + *deliver_at_us) / 2, false, true),
                };
                let y1 = vp.lane_y(ev.node).unwrap_or(0.0);
                out.push(arrow(
                    ev,
                    vp.x(ev.t_us),
                    y1,
                    vp.x(t2),
                    y2,
                    label,
                    (arrived, dropped),
                    role,
                ));
            }
            StKind::Receive {
                send_seq: Some(s),
                label,
                ..
            } => {
                let Some(send) = st.event(*s).filter(|s| s.t_us < vp.t0_us) else {
                    continue;
                };
                let Some(y1) = vp.lane_y(send.node) else {
                    continue;
                };
                let y2 = vp.lane_y(ev.node).unwrap_or(0.0);
                out.push(arrow(
                    send,
                    vp.x(send.t_us),
                    y1,
                    vp.x(ev.t_us),
                    y2,
                    label,
                    (true, false),
                    role,
                ));
            }
            _ => {}
        }
    }
    out
}

#[allow(clippy::too_many_arguments)] // one arrow's geometry; a struct for it would be this list
fn arrow(
    send: &StEvent,
    x1: f64,
    y1: f64,
    x2: f64,
    y2: f64,
    label: &'static str,
    (arrived, dropped): (bool, bool),
    role: &dyn Fn(&StEvent) -> ConeRole,
) -> Arrow {
    Arrow {
        send_seq: send.seq,
        x1,
        y1,
        x2,
        y2,
        label,
        arrived,
        dropped,
        role: role(send),
    }
}
