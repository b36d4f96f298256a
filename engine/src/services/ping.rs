//! The first inhabitants of the world: nodes in a ring pinging their neighbour. A visual demo
//! of the network and the benchmark workload (with `interval_us = 0`).

use crate::msg::Msg;
use crate::sim::{Micros, NodeCtx, NodeId, World};
use crate::view::NodeView;

#[derive(Clone, Copy, Debug)]
pub struct PingConfig {
    /// Pause between receiving a Pong and sending the next Ping; jittered ±50%.
    pub interval_us: Micros,
}

/// Runs one ring member: pings `next`, answers every Ping with a Pong.
pub async fn ping_node(ctx: NodeCtx, next: NodeId, cfg: PingConfig) {
    // Counters go to disk so a restarted node shows it kept count; the ring itself is volatile.
    // Nothing is promised on them, so they are synced in the background, never waited for.
    let (mut sent, mut received): (u64, u64) = ctx.durable(|d| d.get("ping").unwrap_or((0, 0)));
    ctx.send(next, Msg::Ping { seq: sent });
    sent += 1;
    loop {
        ctx.set_view(NodeView::Ping { sent, received });
        let env = ctx.recv().await;
        match env.msg {
            Msg::Ping { seq } => ctx.reply(&env, Msg::Pong { seq }),
            Msg::Pong { .. } => {
                received += 1;
                if cfg.interval_us > 0 {
                    let half = cfg.interval_us / 2;
                    let wait = ctx.with_rng(|r| r.range_inclusive(half, cfg.interval_us + half));
                    ctx.sleep(wait).await;
                }
                ctx.send(next, Msg::Ping { seq: sent });
                sent += 1;
                if sent % 64 == 0 {
                    match ctx.durable(|d| d.put("ping", &(sent, received))) {
                        Ok(()) => {
                            let c = ctx.clone();
                            ctx.spawn(async move { c.sync().await });
                        }
                        Err(e) => ctx.log(format!("ping counters not saved: {e}")),
                    }
                }
            }
            #[allow(unreachable_patterns)]
            _ => {}
        }
    }
}

/// Adds `n` ring nodes named `ping-0..n` to the world.
pub fn add_ring(world: &mut World, n: u32, cfg: PingConfig) -> Result<Vec<NodeId>, String> {
    let base = world.node_count() as u32;
    let mut ids = Vec::new();
    for i in 0..n {
        let next = NodeId(base + (i + 1) % n);
        ids.push(world.add_node(&format!("ping-{i}"), "ping", move |ctx| {
            ping_node(ctx, next, cfg)
        })?);
    }
    Ok(ids)
}
