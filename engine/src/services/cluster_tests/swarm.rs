//! Swarm runs (TigerBeetle's VOPR, openraft's fuzzer): one seed draws the cluster size, the
//! network and a chaos phase of crashes and restarts (executors, the queue, the lock node),
//! partitions, heals and message loss while orders stream in; then a calm phase (everything
//! restarted and healed) in which every order must get through. Then the invariants are checked
//! over the whole run.

use super::harness::{build, entry, Cluster, Setup};
use super::invariants;
use crate::protocol::order_queue::ShippingMethod;
use crate::services::executor::ElectionAlgorithm;
use crate::sim::rng::SimRng;
use crate::sim::trace::TraceKind;
use crate::sim::{ms, LinkConfig, Liveness, Micros, NodeId};

pub const CHAOS_US: Micros = 60_000_000;
pub const CALM_US: Micros = 90_000_000;

#[derive(Debug, Default, Clone, Copy)]
pub struct SwarmStats {
    pub orders: u32,
    pub leaders: u32,
    pub crashes: u32,
    pub redeliveries: u32,
    pub step_downs: u32,
    /// The whole run's trace hash: equal seeds must give equal hashes.
    pub trace_hash: u64,
}

/// What the chaos phase may break.
pub struct Chaos {
    pub orders: bool,
    pub queue_crashes: bool,
    /// Chance (ppm) of a fault after each step of 0.2–1.5 s.
    pub fault_ppm: u32,
}

impl Chaos {
    pub fn with_orders() -> Self {
        Self {
            orders: true,
            queue_crashes: true,
            fault_ppm: 300_000,
        }
    }

    /// Elections only, faults twice as often.
    pub fn elections_only() -> Self {
        Self {
            orders: false,
            queue_crashes: true,
            fault_ppm: 600_000,
        }
    }
}

fn pick(rng: &mut SimRng, ids: &[NodeId]) -> Option<NodeId> {
    (!ids.is_empty()).then(|| ids[rng.below(ids.len() as u64) as usize])
}

fn crashed(c: &Cluster, ids: &[NodeId]) -> Vec<NodeId> {
    ids.iter()
        .copied()
        .filter(|id| c.world.liveness(*id) == Some(Liveness::Crashed))
        .collect()
}

fn up(c: &Cluster, ids: &[NodeId]) -> Vec<NodeId> {
    ids.iter()
        .copied()
        .filter(|id| c.world.liveness(*id) == Some(Liveness::Up))
        .collect()
}

/// One fault drawn from the seed.
fn inject(c: &mut Cluster, rng: &mut SimRng, chaos: &Chaos) -> Result<(), String> {
    let mut services = vec![c.queue];
    services.extend(c.lock);
    match rng.below(8) {
        0 => {
            if let Some(id) = pick(rng, &up(c, &c.executors)) {
                c.world.crash(id)?;
            }
        }
        1 => {
            // The leader itself, mid-work: the case the redelivery machinery exists for.
            if let Some(id) = pick(rng, &c.current_leaders()) {
                c.world.crash(id)?;
            }
        }
        2 => {
            if let Some(id) = pick(rng, &crashed(c, &c.executors)) {
                c.world.restart(id)?;
            }
        }
        3 if chaos.queue_crashes => {
            if let Some(id) = pick(rng, &services) {
                match c.world.liveness(id) {
                    Some(Liveness::Crashed) => c.world.restart(id)?,
                    _ => c.world.crash(id)?,
                }
            }
        }
        4 => {
            // A random split of every node; the service nodes land on a random side.
            let mut groups = vec![Vec::new(), Vec::new()];
            for id in c.executors.iter().chain(services.iter()) {
                groups[rng.below(2) as usize].push(*id);
            }
            c.world.net_fault("partition", |n| n.partition(&groups));
        }
        5 => c.world.net_fault("heal", |n| n.heal_all()),
        6 => {
            let loss = rng.range_inclusive(0, 100_000) as u32;
            c.world.net_fault(format!("loss {loss} ppm"), |n| {
                n.default_link.loss_ppm = loss
            });
        }
        _ => {
            if let Some(id) = pick(rng, &crashed(c, &services)) {
                c.world.restart(id)?;
            }
        }
    }
    Ok(())
}

pub fn run(seed: u64, algorithm: ElectionAlgorithm, chaos: Chaos) -> Result<SwarmStats, String> {
    let mut rng = SimRng::derive(seed, "swarm");
    let mut setup = Setup::new(seed, algorithm);
    setup.executors = rng.range_inclusive(3, 7) as u32;
    setup.link = LinkConfig {
        latency_base_us: rng.range_inclusive(ms(1), ms(10)),
        jitter_us: rng.range_inclusive(0, ms(20)),
        loss_ppm: rng.range_inclusive(0, 30_000) as u32,
        duplicate_ppm: rng.range_inclusive(0, 10_000) as u32,
        // Half the seeds let messages overtake each other on a link (jitter decides by how
        // much); the protocols must not lean on FIFO links.
        reorder: rng.below(2) == 0,
    };
    let mut c = build(setup);
    let mut stats = SwarmStats::default();
    let mut next_order = 0u32;
    while c.world.now() < CHAOS_US {
        let step = rng.range_inclusive(ms(200), ms(1_500));
        c.world.run_for(step);
        if chaos.orders && rng.chance_ppm(600_000) {
            let shipping = ShippingMethod::ALL[rng.below(3) as usize];
            let qty = rng.range_inclusive(1, 12) as u32;
            c.submit(entry(
                &format!("s{seed}-o{next_order}"),
                shipping,
                qty,
                rng.chance_ppm(300_000),
            ));
            next_order += 1;
        }
        if rng.chance_ppm(chaos.fault_ppm) {
            inject(&mut c, &mut rng, &chaos)?;
        }
    }
    calm(&mut c)?;
    c.world.run_for(CALM_US);
    check(&c, next_order)?;
    let facts = c.facts();
    stats.orders = next_order;
    stats.leaders = facts
        .iter()
        .filter(|f| matches!(f.kind, TraceKind::Leader { .. }))
        .count() as u32;
    stats.crashes = facts
        .iter()
        .filter(|f| matches!(f.kind, TraceKind::Crash))
        .count() as u32;
    stats.redeliveries = facts
        .iter()
        .filter(|f| matches!(&f.kind, TraceKind::Order { status, .. } if status == "redelivered"))
        .count() as u32;
    stats.step_downs = facts
        .iter()
        .filter(|f| matches!(f.kind, TraceKind::StepDown { .. }))
        .count() as u32;
    stats.trace_hash = c.world.trace_hash();
    Ok(stats)
}

/// Faults stop: the network heals, loss stops, every crashed node comes back.
fn calm(c: &mut Cluster) -> Result<(), String> {
    c.world.net_fault("calm: heal, no loss", |n| {
        n.heal_all();
        n.default_link.loss_ppm = 0;
        n.default_link.duplicate_ppm = 0;
    });
    let mut all = c.executors.clone();
    all.push(c.queue);
    all.extend(c.lock);
    for id in crashed(c, &all) {
        c.world.restart(id)?;
    }
    Ok(())
}

fn check(c: &Cluster, orders: u32) -> Result<(), String> {
    let confirmed = c.confirmed.borrow().clone();
    if confirmed.len() as u32 != orders {
        return Err(format!(
            "only {} of {orders} orders were confirmed by the queue",
            confirmed.len()
        ));
    }
    invariants::all(&c.facts(), &confirmed)?;
    let status = c.queue_view().ok_or("the queue has no view")?.status;
    if status.length != 0 || status.in_flight != 0 || status.executed != orders {
        return Err(format!("queue not drained: {status:?}"));
    }
    match c.current_leaders().len() {
        1 => Ok(()),
        n => Err(format!("{n} leaders at the end of the calm phase")),
    }
}
