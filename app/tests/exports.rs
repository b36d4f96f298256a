//! Browser tests of the exports and the linearizability check: the page asks the engine for
//! each file and shows the engine's verdict, with the operations that show a fault.
#![cfg(target_arch = "wasm32")]

mod support;

use app::components::{ChecksPanel, StockReadsPanel};
use engine::export::spec::Format;
use leptos::prelude::WithUntracked;
use support::*;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn run_to(sim: &app::sim_context::Sim, secs: u64) {
    while sim.snapshot.with_untracked(|s| s.now_us) < secs * 1_000_000 {
        sim.advance_us(1_000_000);
    }
}

#[wasm_bindgen_test]
async fn stale_replica_reads_show_as_not_linearizable_with_the_stale_read_highlighted() {
    let (root, _mounted, sim) =
        mount_sim("replica-reads", |_| leptos::view! { <StockReadsPanel /> });
    run_to(&sim, 14);
    settle().await;
    assert_eq!(
        count(&root, "[data-testid=lin-verdicts]"),
        0,
        "checked only on request"
    );
    find_html(&root, "[data-testid=check-linearizability]").click();
    settle().await;
    let verdicts = text(&find(&root, "[data-testid=lin-verdicts]"));
    assert!(
        verdicts.contains("(the promise): linearizable"),
        "{verdicts}"
    );
    assert!(
        verdicts.contains("Every read and write: NOT linearizable"),
        "{verdicts}"
    );
    assert_eq!(
        count(&root, ".lin__row.is-read"),
        1,
        "one stale read shows it"
    );
    assert!(
        count(&root, ".lin__row.is-witness") >= 2,
        "with the sale it missed"
    );
}

#[wasm_bindgen_test]
async fn the_checks_tab_offers_every_export_and_the_engine_writes_each() {
    let (root, _mounted, sim) = mount_sim("2pc-commit", |_| leptos::view! { <ChecksPanel /> });
    run_to(&sim, 5);
    settle().await;
    for format in Format::ALL {
        let selector = format!("[data-testid=export-{}]", format.as_str());
        assert_eq!(
            count(&root, &selector),
            1,
            "a button for {}",
            format.as_str()
        );
        let (name, _, body) = sim.export(format, None).expect("exports");
        assert!(
            name.ends_with(format.extension()) && !body.is_empty(),
            "{name}"
        );
    }
    assert_eq!(count(&root, "[data-testid=open-perfetto]"), 1);
    assert!(
        text(&find(&root, "[data-testid=export-order]")).contains("ord-0001"),
        "the order can be chosen for a diagram"
    );
    let order = engine::export::mermaid::Selection::Order("ord-0001".into());
    let (name, _, diagram) = sim.export(Format::Mermaid, Some(&order)).expect("mermaid");
    assert!(
        name.contains("ord-0001") && diagram.contains("tx-ord-0001 COMMITTED"),
        "{diagram}"
    );
    let (_, _, log) = sim.export(Format::ShiViz, None).expect("shiviz");
    assert!(
        log.starts_with(engine::export::shiviz::REGEX),
        "the regex comes first"
    );
}
