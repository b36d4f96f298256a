//! Browser tests of the cluster settings: the page changes the election algorithm, the cluster
//! size and Raft's timings; a configuration the engine refuses is explained, not applied.
#![cfg(target_arch = "wasm32")]

mod support;

use app::components::ClusterSettings;
use leptos::prelude::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlInputElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn set_input(root: &web_sys::Element, label: &str, value: &str) {
    let input: HtmlInputElement =
        find_html(root, &format!("input[aria-label='{label}']")).unchecked_into();
    input.set_value(value);
    fire_change(&input);
}

fn executors(sim: app::sim_context::Sim) -> usize {
    sim.snapshot
        .with(|s| s.nodes.iter().filter(|n| n.service == "executor").count())
}

#[wasm_bindgen_test]
async fn the_page_switches_to_five_bully_executors_and_the_run_restarts() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <ClusterSettings /> });
    sim.advance_us(3_000_000);
    settle().await;
    assert_eq!(executors(sim), 3);
    let algo: HtmlSelectElement =
        find_html(&root, "select[aria-label='Election algorithm']").unchecked_into();
    algo.set_value("bully");
    fire_change(&algo);
    set_input(&root, "Executors (3–7)", "5");
    button(&root, "Apply and restart").click();
    settle().await;
    assert_eq!(executors(sim), 5);
    assert_eq!(
        sim.snapshot.with(|s| s.now_us),
        0,
        "applying restarts the run"
    );
    assert!(
        sim.share_fragment().contains("cluster="),
        "the link carries the new shape"
    );
    sim.advance_us(2_000_000);
    settle().await;
    assert!(sim.snapshot.with(|s| s
        .executors
        .iter()
        .filter_map(|e| e.view.as_ref())
        .all(|v| v.algorithm == "bully")));
}

#[wasm_bindgen_test]
async fn a_refused_configuration_is_explained_and_the_run_keeps_going() {
    let (root, _mounted, sim) = mount_sim("checkout", |_| view! { <ClusterSettings /> });
    sim.advance_us(1_000_000);
    set_input(&root, "Heartbeat (ms)", "5000");
    button(&root, "Apply and restart").click();
    settle().await;
    let alert = find(&root, ".cluster-settings__error");
    assert!(text(&alert).contains("heartbeat"), "{}", text(&alert));
    assert_eq!(
        sim.snapshot.with(|s| s.now_us),
        1_000_000,
        "nothing restarted"
    );
    assert_eq!(executors(sim), 3);
}
