//! Seeded runs of one lock server and three executors whose clocks drift at different rates,
//! over a lossy network with cut links, client crashes and lock-server restarts. After every
//! event we ask each client, on its own clock, whether it leads: never may two say yes.

use super::*;
use crate::sim::rng::SimRng;
use crate::sim::NodeId;
use std::collections::{BTreeMap, BTreeSet};

const S: u64 = 1_000_000;
const PPM: i64 = 1_000_000;
const SERVER: NodeId = NodeId(0);

/// A clock running at `(1 + drift_ppm / 10^6)` times real speed, starting at `offset_us`.
#[derive(Clone, Copy)]
struct Clock {
    drift_ppm: i64,
    offset_us: u64,
}

impl Clock {
    fn local(&self, real_us: u64) -> u64 {
        let scaled = real_us as i128 * (PPM + self.drift_ppm) as i128 / PPM as i128;
        self.offset_us + scaled as u64
    }

    /// The first real instant at which this clock reads at least `local_us`.
    fn real_at(&self, local_us: u64) -> u64 {
        if local_us <= self.offset_us {
            return 0;
        }
        let want = (local_us - self.offset_us) as i128;
        let mut t = (want * PPM as i128 / (PPM + self.drift_ppm) as i128) as u64;
        while self.local(t) < local_us {
            t += 1;
        }
        while t > 0 && self.local(t - 1) >= local_us {
            t -= 1;
        }
        t
    }
}

enum Msg {
    ToServer(NodeId, LeaseRequest),
    ToClient(NodeId, LeaseReply),
}

struct Executor {
    id: NodeId,
    clock: Clock,
    rng: SimRng,
    client: Option<LeaseClient>,
}

#[derive(Default, Debug)]
struct Findings {
    overlaps: u32,
    token_reuses: u32,
    token_regressions: u32,
    grants: u32,
    led_us: u64,
}

struct World {
    now: u64,
    cfg: LeaseConfig,
    server: Option<LockServer>,
    server_clock: Clock,
    disk: LockServerState,
    execs: Vec<Executor>,
    in_flight: BTreeMap<(u64, u64), Msg>,
    seq: u64,
    net: SimRng,
    drop_ppm: u32,
    cut: BTreeSet<NodeId>,
    token_owner: BTreeMap<u64, NodeId>,
    max_token: u64,
    found: Findings,
}

impl World {
    fn new(seed: u64, cfg: LeaseConfig, max_drift_ppm: i64, client_drift_bias_ppm: i64) -> Self {
        let mut setup = SimRng::derive(seed, "lease-setup");
        let mut drift = |bias: i64| {
            bias + setup.range_inclusive(0, 2 * max_drift_ppm as u64) as i64 - max_drift_ppm
        };
        let server_clock = Clock {
            drift_ppm: drift(0),
            offset_us: 0,
        };
        let execs = (1..=3)
            .map(|i| Executor {
                id: NodeId(i),
                clock: Clock {
                    drift_ppm: drift(client_drift_bias_ppm),
                    offset_us: i as u64 * 7_777_777,
                },
                rng: SimRng::derive(seed, &format!("exec-{i}")),
                client: None,
            })
            .collect();
        let mut w = Self {
            now: 0,
            cfg,
            server: Some(LockServer::new()),
            server_clock,
            disk: LockServer::new().to_durable(),
            execs,
            in_flight: BTreeMap::new(),
            seq: 0,
            net: SimRng::derive(seed, "lease-net"),
            drop_ppm: 50_000,
            cut: BTreeSet::new(),
            token_owner: BTreeMap::new(),
            max_token: 0,
            found: Findings::default(),
        };
        for i in 0..3 {
            w.start_client(i);
        }
        w
    }

    fn start_client(&mut self, i: usize) {
        let e = &mut self.execs[i];
        let local = e.clock.local(self.now);
        e.client = Some(LeaseClient::new(
            e.id,
            SERVER,
            self.cfg.clone(),
            local,
            &mut e.rng,
        ));
    }

    fn post(&mut self, client: NodeId, msg: Msg) {
        if self.cut.contains(&client) || self.net.chance_ppm(self.drop_ppm) {
            return;
        }
        let at = self.now + self.net.range_inclusive(1_000, 80_000);
        self.in_flight.insert((at, self.seq), msg);
        self.seq += 1;
    }

    fn next_event(&self) -> u64 {
        let msg = self
            .in_flight
            .keys()
            .next()
            .map(|(t, _)| *t)
            .unwrap_or(u64::MAX);
        let timers = self.execs.iter().filter_map(|e| {
            e.client
                .as_ref()
                .map(|c| e.clock.real_at(c.next_wakeup_us()))
        });
        timers.fold(msg, u64::min)
    }

    fn run_until(&mut self, end: u64) {
        loop {
            let t = self.next_event().max(self.now);
            if t > end {
                self.account(end);
                self.now = end;
                return;
            }
            self.account(t);
            self.now = t;
            self.deliver_due();
            for i in 0..self.execs.len() {
                let e = &mut self.execs[i];
                let local = e.clock.local(self.now);
                if let Some(c) = e.client.as_mut() {
                    c.tick(local, &mut e.rng);
                }
                self.drain(i);
            }
            self.check_exclusion();
        }
    }

    /// Adds the time since the last event to "someone led" if someone did.
    fn account(&mut self, until: u64) {
        if self.leaders_at(self.now) > 0 {
            self.found.led_us += until - self.now;
        }
    }

    fn leaders_at(&self, real: u64) -> usize {
        let lead = |e: &Executor| {
            e.client
                .as_ref()
                .is_some_and(|c| c.is_leader(e.clock.local(real)))
        };
        self.execs.iter().filter(|e| lead(e)).count()
    }

    fn check_exclusion(&mut self) {
        if self.leaders_at(self.now) > 1 {
            self.found.overlaps += 1;
        }
    }

    fn deliver_due(&mut self) {
        while let Some(entry) = self.in_flight.first_entry() {
            if entry.key().0 > self.now {
                return;
            }
            match entry.remove() {
                Msg::ToServer(from, req) => {
                    let server_now = self.server_clock.local(self.now);
                    let Some(server) = self.server.as_mut() else {
                        continue;
                    };
                    let reply = server.handle(server_now, from, req);
                    self.disk = server.to_durable();
                    self.post(from, Msg::ToClient(from, reply));
                }
                Msg::ToClient(to, reply) => {
                    let Some(i) = self.execs.iter().position(|e| e.id == to) else {
                        continue;
                    };
                    let e = &mut self.execs[i];
                    let local = e.clock.local(self.now);
                    if let Some(c) = e.client.as_mut() {
                        c.step(local, reply, &mut e.rng);
                    }
                    self.drain(i);
                }
            }
        }
    }

    fn drain(&mut self, i: usize) {
        let id = self.execs[i].id;
        let Some(c) = self.execs[i].client.as_mut() else {
            return;
        };
        for out in c.take_outputs() {
            match out {
                LeaseOutput::Send { msg, .. } => self.post(id, Msg::ToServer(id, msg)),
                LeaseOutput::BecameLeader { token } => self.on_grant(id, token),
                LeaseOutput::LostLeadership { .. } => {}
            }
        }
    }

    fn on_grant(&mut self, id: NodeId, token: u64) {
        self.found.grants += 1;
        if *self.token_owner.entry(token).or_insert(id) != id {
            self.found.token_reuses += 1;
        }
        if token < self.max_token {
            self.found.token_regressions += 1;
        }
        self.max_token = self.max_token.max(token);
    }

    fn inject_fault(&mut self, rng: &mut SimRng) {
        let i = rng.below(3) as usize;
        let id = self.execs[i].id;
        match rng.below(7) {
            0 => self.execs[i].client = None,
            1 | 2 => self.restart_everything_down(),
            3 => {
                self.cut.insert(id);
            }
            4 | 5 => self.cut.clear(),
            _ => self.server = None,
        }
    }

    fn restart_everything_down(&mut self) {
        for i in 0..self.execs.len() {
            if self.execs[i].client.is_none() {
                self.start_client(i);
            }
        }
        if self.server.is_none() {
            self.server = Some(LockServer::from_durable(self.disk.clone()));
        }
    }
}

fn run(seed: u64, cfg: LeaseConfig, max_drift_ppm: i64, bias_ppm: i64) -> Findings {
    let mut w = World::new(seed, cfg, max_drift_ppm, bias_ppm);
    let mut faults = SimRng::derive(seed, "lease-faults");
    let end = 60 * S;
    while w.now < end {
        let next = w.now + faults.range_inclusive(S / 2, 4 * S);
        w.run_until(next.min(end));
        w.inject_fault(&mut faults);
    }
    w.found
}

#[test]
fn no_two_executors_ever_believe_they_lead_at_once_despite_drift_loss_and_crashes() {
    let mut grants = 0;
    let mut led_us = 0;
    for seed in crate::testing::seeds(0..100) {
        let _guard =
            crate::testing::SeedGuard::new("no_two_executors_ever_believe_they_lead_at_once", seed);
        // Clocks within ±2 % of real time: together at most 4 %, under the 10 % margin.
        let f = run(seed, LeaseConfig::default(), 20_000, 0);
        assert_eq!(f.overlaps, 0, "seed {seed}: two leaders at once {f:?}");
        assert_eq!(
            f.token_reuses, 0,
            "seed {seed}: a token went to two clients {f:?}"
        );
        assert_eq!(
            f.token_regressions, 0,
            "seed {seed}: a grant carried an older token {f:?}"
        );
        grants += f.grants;
        led_us += f.led_us;
    }
    // The runs must exercise handovers and still have a leader most of the time.
    // (Measured: 405 grants, a leader 71 % of the time; the faults keep it from being higher.)
    if crate::testing::one_seed_only() {
        return;
    }
    assert!(grants > 300, "only {grants} grants");
    let led_permille = led_us / (100 * 60 * S / 1_000);
    eprintln!("lease runs: {grants} grants, a leader {led_permille}‰ of the time");
    assert!(
        led_permille > 500,
        "a leader existed only {led_permille}‰ of the time"
    );
}

#[test]
fn without_a_safety_margin_slow_client_clocks_do_produce_two_leaders() {
    // The control for the test above: it shows the checker sees overlaps when they happen.
    let cfg = LeaseConfig {
        safety_margin_us: 0,
        ..LeaseConfig::default()
    };
    let overlaps: u32 = (0..50)
        .map(|seed| run(seed, cfg.clone(), 0, -100_000).overlaps)
        .sum();
    eprintln!("no-margin control: {overlaps} overlapping instants in 50 runs");
    assert!(
        overlaps > 0,
        "clients with 10 % slow clocks and no margin never overlapped"
    );
}
