//! Browser tests of the mesh, the node inspector, the timeline, the faults and checks tabs:
//! mount with a real simulation, advance virtual time, `tick().await`, assert on the DOM.
#![cfg(target_arch = "wasm32")]

mod support;

use app::components::{ChecksPanel, FaultsPanel, MeshView, NodeInspector, Timeline};
use app::sim_context::Sim;
use app::Shell;
use engine::sim::Liveness;
use leptos::prelude::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A bubbling click, which also reaches SVG elements (they have no `.click()`).
fn click(element: &Element) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("click", &init).expect("create event");
    element.dispatch_event(&event).expect("dispatch click");
}

/// Advances in small steps until `done` holds (at most `limit_us` of virtual time).
fn advance_until(sim: Sim, step_us: u64, limit_us: u64, done: impl Fn(Sim) -> bool) -> bool {
    let mut spent = 0;
    while spent < limit_us {
        if done(sim) {
            return true;
        }
        sim.advance_us(step_us);
        spent += step_us;
    }
    done(sim)
}

/// The executor cluster's leader (the books database's primary is a Raft leader too).
fn is_executor_leader(n: &engine::snapshot::NodeSnap) -> bool {
    n.service == "executor" && n.role == engine::snapshot::observations::NodeRole::Leader
}

fn node_class(root: &Element, name: &str) -> String {
    attr(&find(root, &format!("[data-node='{name}']")), "class")
}

#[wasm_bindgen_test]
async fn the_mesh_draws_one_node_per_snapshot_node_with_its_name() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <MeshView /> });
    settle().await;
    let nodes = sim.snapshot.with_untracked(|s| s.nodes.len()) as u32;
    assert!(
        nodes >= 9,
        "the checkout world has client, orchestrator, validators, queue, executors"
    );
    assert_eq!(count(&root, "[data-node]"), nodes);
    assert!(text(&find(&root, "[data-node='orchestrator']")).contains("orchestrator"));
    assert!(
        count(&root, ".mesh-link") > 0,
        "services that talk are linked"
    );
}

#[wasm_bindgen_test]
async fn a_message_in_flight_is_drawn_as_a_dot_keyed_by_its_id() {
    let (root, _mounted, sim) = mount_sim("initial-election", |_| view! { <MeshView /> });
    let found = advance_until(sim, 1_000, 5_000_000, |s| {
        s.snapshot.with_untracked(|s| !s.messages.is_empty())
    });
    assert!(found, "an election sends messages within five seconds");
    settle().await;
    let (id, in_flight) = sim
        .snapshot
        .with_untracked(|s| (s.messages[0].id, s.messages.len() as u32));
    assert_eq!(count(&root, "[data-msg]"), in_flight);
    let dot = find(&root, &format!("[data-msg='{id}']"));
    assert!(
        attr(&dot, "transform").starts_with("translate("),
        "the dot sits where the message is"
    );
    assert!(attr(&dot, "class").contains("msg--"), "coloured by kind");
}

#[wasm_bindgen_test]
async fn a_leader_wears_a_crown_and_its_term() {
    let (root, _mounted, sim) = mount_sim("initial-election", |_| view! { <MeshView /> });
    let elected = advance_until(sim, 50_000, 10_000_000, |s| {
        s.snapshot
            .with_untracked(|s| s.nodes.iter().any(is_executor_leader))
    });
    assert!(elected);
    settle().await;
    let leader = sim.snapshot.with_untracked(|s| {
        s.nodes
            .iter()
            .find(|n| is_executor_leader(n))
            .map(|n| n.name.clone())
            .unwrap()
    });
    assert!(node_class(&root, &leader).contains("is-leader"));
    let node = find(&root, &format!("[data-node='{leader}']"));
    find(&node, ".mesh-node__crown");
    assert!(text(&find(&node, ".mesh-node__term")).starts_with('T'));
    assert_eq!(
        count(&root, ".mesh-node--executor .mesh-node__crown"),
        1,
        "one executor leader, one crown"
    );
    assert!(
        count(&root, ".mesh-node--books-db .mesh-node__crown") <= 1,
        "the books database has at most one primary"
    );
}

#[wasm_bindgen_test]
async fn clicking_a_node_opens_the_inspector_and_crash_marks_it_crashed() {
    let (root, _mounted, sim) = mount_sim("checkout", |sim| view! { <Shell sim=sim /> });
    settle().await;
    assert_eq!(
        count(&root, "[data-testid='node-inspector']"),
        0,
        "no inspector until a node is selected"
    );

    click(&find(&root, "[data-node='executor-0']"));
    settle().await;
    let inspector = find(&root, "[data-testid='node-inspector']");
    assert!(text(&inspector).contains("executor-0"));
    assert_eq!(
        text(&find(&inspector, "[data-testid='inspector-liveness']")),
        "up"
    );
    assert_eq!(
        attr(&find(&root, "[data-node='executor-0']"), "aria-pressed"),
        "true"
    );

    button(&inspector, "Crash").click();
    // A verb takes effect at the next whole virtual millisecond.
    sim.advance_us(2_000);
    settle().await;
    assert!(node_class(&root, "executor-0").contains("is-crashed"));
    let inspector = find(&root, "[data-testid='node-inspector']");
    assert_eq!(
        text(&find(&inspector, "[data-testid='inspector-liveness']")),
        "crashed"
    );

    button(&inspector, "Restart").click();
    sim.advance_us(2_000);
    settle().await;
    assert!(
        !node_class(&root, "executor-0").contains("is-crashed"),
        "restarted"
    );

    button(&root, "Close inspector").click();
    settle().await;
    assert_eq!(count(&root, "[data-testid='node-inspector']"), 0);
    assert_eq!(sim.selected.get_untracked(), None);
}

#[wasm_bindgen_test]
async fn the_inspector_isolates_a_node_and_heal_all_mends_it() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <NodeInspector /> <MeshView /> });
    let id = sim
        .snapshot
        .with_untracked(|s| s.nodes.iter().find(|n| n.name == "queue").unwrap().id);
    sim.selected.set(Some(id));
    settle().await;
    button(&root, "Isolate").click();
    sim.advance_us(2_000);
    settle().await;
    find(&root, "[data-isolated='queue']");
    assert_eq!(
        count(&root, ".mesh-cut"),
        0,
        "an isolated node gets a ring, not a fan of red lines"
    );
    button(&root, "Heal all").click();
    sim.advance_us(2_000);
    settle().await;
    assert_eq!(count(&root, "[data-isolated]"), 0);
}

#[wasm_bindgen_test]
async fn the_timeline_shows_each_reign_and_the_crash_that_ended_it() {
    let (root, _mounted, sim) = mount_sim("leader-crash", |_| view! { <Timeline /> });
    sim.seek(9_000_000);
    settle().await;
    let bars: Vec<String> = {
        let list = root
            .query_selector_all("[aria-label='Leaders of executors'] .timeline__bar")
            .unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .map(|n| {
                n.unchecked_into::<Element>()
                    .get_attribute("aria-label")
                    .unwrap_or_default()
            })
            .collect()
    };
    assert!(
        bars.len() >= 2,
        "a leader before the crash and one after: {bars:?}"
    );
    assert!(
        bars[0].contains("term 1") && bars[1].contains("term 2"),
        "{bars:?}"
    );
    assert!(
        bars[0].contains("led 1.") && bars[0].contains("→ 5s"),
        "a closed reign says when it began and ended: {bars:?}"
    );
    assert!(
        count(&root, ".timeline__tick.tick--crash") >= 1,
        "the crash is a tick mark"
    );
    let slider: HtmlInputElement =
        find_html(&root, "input[aria-label='Time travel']").unchecked_into();
    assert_eq!(slider.value(), "9000000");
}

#[wasm_bindgen_test]
async fn dragging_the_time_slider_back_replays_to_that_moment() {
    let (root, _mounted, sim) = mount_sim("leader-crash", |_| view! { <Timeline /> });
    sim.seek(9_000_000);
    settle().await;
    let slider: HtmlInputElement =
        find_html(&root, "input[aria-label='Time travel']").unchecked_into();
    slider.set_value("3000000");
    fire_input(&slider);
    fire_change(&slider);
    settle().await;
    assert_eq!(sim.snapshot.with_untracked(|s| s.now_us), 3_000_000);
    assert!(
        text(&find(&root, ".timeline__of")).contains("9s"),
        "the furthest point reached is kept"
    );
    assert_eq!(
        count(&root, ".timeline__tick.tick--crash"),
        0,
        "before the crash there is no crash tick"
    );
}

#[wasm_bindgen_test]
async fn share_link_puts_the_run_in_the_url_and_offers_it_for_copying() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <Timeline /> });
    sim.advance_us(1_500_000);
    settle().await;
    button(&root, "Share link").click();
    settle().await;
    let hash = window().location().hash().unwrap();
    assert!(hash.len() > 1, "the hash holds the run");
    assert_eq!(hash.trim_start_matches('#'), sim.share_fragment());
    let link: HtmlInputElement = find_html(
        &root,
        "input[aria-label='Shareable link to this run and moment']",
    )
    .unchecked_into();
    assert!(
        link.value().ends_with(&hash),
        "{} should end with {hash}",
        link.value()
    );
    let _ = window().history().unwrap().replace_state_with_url(
        &wasm_bindgen::JsValue::NULL,
        "",
        Some("#"),
    );
}

#[wasm_bindgen_test]
async fn the_faults_tab_names_the_scenario_and_crashes_the_leader() {
    let (root, _mounted, sim) = mount_sim("initial-election", |_| view! { <FaultsPanel /> });
    settle().await;
    assert!(
        text(&root).contains("Raft: initial election"),
        "the scenario is named"
    );
    let elected = advance_until(sim, 50_000, 10_000_000, |s| {
        s.snapshot
            .with_untracked(|s| s.nodes.iter().any(is_executor_leader))
    });
    assert!(elected);
    settle().await;
    button(&root, "Crash leader").click();
    sim.advance_us(2_000);
    settle().await;
    let crashed = sim.snapshot.with_untracked(|s| {
        s.nodes
            .iter()
            .filter(|n| n.liveness == Liveness::Crashed)
            .count()
    });
    assert_eq!(crashed, 1);
    assert!(text(&root).contains("Restart all crashed (1)"));
}

#[wasm_bindgen_test]
async fn the_faults_tab_sets_loss_and_takes_a_model_down() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <FaultsPanel /> });
    settle().await;
    let loss: HtmlInputElement =
        find_html(&root, "input[aria-label='Message loss percent']").unchecked_into();
    loss.set_value("20");
    fire_input(&loss);
    fire_change(&loss);
    sim.advance_us(2_000);
    settle().await;
    assert_eq!(loss.value(), "20");
    assert!(text(&root).contains("20%"));

    let fraud: HtmlInputElement = find_html(&root, "input[role='switch']").unchecked_into();
    fraud.click();
    sim.advance_us(2_000);
    settle().await;
    assert!(sim
        .snapshot
        .with_untracked(|s| s.flags.iter().any(|f| f == "model-down:fraud")));
    assert!(fraud.checked());
}

#[wasm_bindgen_test]
async fn the_partition_builder_cuts_the_ticked_nodes_off() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <FaultsPanel /> <MeshView /> });
    settle().await;
    let boxes = root.query_selector_all(".faults__node input").unwrap();
    for i in 0..2 {
        let tick: HtmlInputElement = boxes.item(i).unwrap().unchecked_into();
        tick.click();
    }
    settle().await;
    button(&root, "Partition 2 nodes from the rest").click();
    sim.advance_us(2_000);
    settle().await;
    assert!(sim.snapshot.with_untracked(|s| !s.links_down.is_empty()));
    assert!(
        count(&root, ".mesh-cut") > 0,
        "client and orchestrator are cut from the services they call"
    );
    assert_eq!(count(&root, "[data-isolated]"), 0);
}

#[wasm_bindgen_test]
async fn the_checks_tab_lists_every_invariant_with_a_tick_while_all_hold() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <ChecksPanel /> });
    settle().await;
    let invariants = sim.snapshot.with_untracked(|s| s.invariants.len()) as u32;
    assert!(invariants >= 4);
    assert_eq!(count(&root, "[data-invariant]"), invariants);
    assert_eq!(count(&root, ".check.is-violated"), 0);
    assert_eq!(
        text(&find(&root, "[data-testid='violation-badge']")),
        "all hold"
    );
    assert!(text(&root).contains("Raft §5.2"), "sources are cited");
}

#[wasm_bindgen_test]
async fn a_violation_turns_its_invariant_red_with_the_details_and_a_badge() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <ChecksPanel /> });
    settle().await;
    let mut snap = sim.snapshot.with_untracked(|s| (**s).clone());
    snap.violations.push(engine::invariants::Violation {
        invariant: "one leader per term",
        t_us: 6_250_000,
        detail: "executor-0 and executor-1 both lead term 2".into(),
    });
    sim.snapshot.set(std::sync::Arc::new(snap));
    settle().await;
    let row = find(&root, "[data-invariant='one leader per term']");
    assert!(attr(&row, "class").contains("is-violated"));
    assert!(text(&row).contains("✗") && text(&row).contains("× 1"));
    assert!(text(&row).contains("6.25s") && text(&row).contains("both lead term 2"));
    assert_eq!(
        text(&find(&root, "[data-testid='violation-badge']")),
        "1 violation"
    );
    find(&root, "[role='alert']");
    assert_eq!(
        count(&root, ".check.is-violated"),
        1,
        "the other invariants still hold"
    );
}

/// A hundred messages moving every frame: each frame only moves dots (no list rebuilds), and
/// a frame's DOM update stays well inside a 60 fps budget even in a debug build.
#[wasm_bindgen_test]
async fn a_hundred_moving_messages_update_within_a_frame_budget() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <MeshView /> });
    settle().await;
    let base = sim.snapshot.with_untracked(|s| (**s).clone());
    let frame = |k: u32| {
        let mut snap = base.clone();
        snap.now_us = u64::from(k) * 16_000;
        snap.messages = (0..100u64)
            .map(|i| {
                let label = if i % 3 == 0 {
                    "Heartbeat"
                } else {
                    "RequestVote"
                };
                engine::snapshot::MessageSnap {
                    id: i,
                    label,
                    look: engine::snapshot::observations::look(label),
                    from: engine::sim::NodeId(6 + (i % 3) as u32),
                    to: engine::sim::NodeId(6 + ((i + 1) % 3) as u32),
                    at: engine::snapshot::layout::Point { x: 0.0, y: 0.0 },
                    progress_permille: (k * 10 + i as u32) % 1000,
                    corr: 0,
                }
            })
            .collect();
        std::sync::Arc::new(snap)
    };
    sim.snapshot.set(frame(0));
    settle().await;
    assert_eq!(count(&root, "[data-msg]"), 100);
    let first_dot = find(&root, "[data-msg='42']");
    let before = attr(&first_dot, "transform");
    let perf = window().performance().expect("performance");
    let start = perf.now();
    let frames = 60;
    for k in 1..=frames {
        sim.snapshot.set(frame(k));
        settle().await;
    }
    let per_frame_ms = (perf.now() - start) / f64::from(frames);
    let same_dot = find(&root, "[data-msg='42']");
    assert!(
        first_dot.is_same_node(Some(&same_dot)),
        "keyed: the dot element is reused, not rebuilt"
    );
    assert_ne!(attr(&same_dot, "transform"), before, "the dot moved");
    web_sys::console::log_1(&format!("100 messages: {per_frame_ms:.2} ms per frame").into());
    assert!(
        per_frame_ms < 12.0,
        "a frame with 100 moving messages took {per_frame_ms:.2} ms"
    );
}

#[wasm_bindgen_test]
async fn a_one_way_cut_starts_between_two_different_nodes_and_draws_one_way() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <FaultsPanel /> <MeshView /> });
    settle().await;
    let from: web_sys::HtmlSelectElement =
        find_html(&root, "select[aria-label='Cut from node']").unchecked_into();
    let to: web_sys::HtmlSelectElement =
        find_html(&root, "select[aria-label='Cut to node']").unchecked_into();
    assert_ne!(from.value(), to.value());
    assert_eq!(
        (from.value().as_str(), to.value().as_str()),
        ("client", "orchestrator")
    );
    button(&root, "Cut").click();
    sim.advance_us(2_000);
    settle().await;
    assert_eq!(sim.notice.get_untracked(), None);
    find(&root, ".mesh-cut.is-one-way");
}

#[wasm_bindgen_test]
async fn the_nemesis_starts_from_the_faults_tab_is_recorded_and_shows_receipts() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <FaultsPanel /> });
    settle().await;
    assert!(text(&root).contains("No fault yet"));
    let intensity: HtmlInputElement =
        find_html(&root, "input[aria-label='Nemesis intensity percent']").unchecked_into();
    intensity.set_value("100");
    fire_input(&intensity);
    settle().await;
    button(&root, "Start nemesis").click();
    sim.advance_us(2_000);
    settle().await;
    assert!(sim.snapshot.with_untracked(|s| s.live.nemesis.is_some()));
    assert!(
        sim.share_fragment().contains("nemesis"),
        "the setting is a recorded input, so a link replays it"
    );
    let faulted = advance_until(sim, 500_000, 30_000_000, |s| {
        s.snapshot
            .with_untracked(|s| s.receipts.iter().any(|r| r.injects))
    });
    assert!(
        faulted,
        "the nemesis drew no fault in 30 s at full intensity"
    );
    settle().await;
    assert!(count(&root, ".nemesis__receipt") > 0);
    button(&root, "Stop nemesis").click();
    sim.advance_us(2_000);
    settle().await;
    assert!(sim.snapshot.with_untracked(|s| s.live.nemesis.is_none()));
    assert!(text(&root).contains("Off."));
}
