//! Browser tests of the shop, orders, cluster and log tabs: mount with a real simulation of the
//! checkout scenario, fill and send orders, advance virtual time, `tick().await`, assert on the DOM.
#![cfg(target_arch = "wasm32")]

mod support;

use app::components::{ClusterPanel, LogPanel, OrdersPanel, ShopPanel};
use app::sim_context::Sim;
use leptos::prelude::*;
use support::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Event, EventInit, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts `view` under a fresh simulation of the checkout scenario (seed 1).
fn mount_checkout<F, N>(view: F) -> (web_sys::HtmlElement, impl Drop, Sim)
where
    F: FnOnce() -> N + 'static,
    N: IntoView + 'static,
{
    mount_sim("checkout", move |_| view())
}

/// Runs `us` of virtual time in frames of at most 2 s (the driver's cap), then lets the page update.
async fn run(sim: Sim, us: u64) {
    let mut left = us;
    while left > 0 {
        let step = left.min(2_000_000);
        sim.advance_us(step);
        left -= step;
    }
    settle().await;
}

/// A bubbling click, which also reaches SVG elements (they have no `.click()`).
fn click(element: &Element) {
    let init = EventInit::new();
    init.set_bubbles(true);
    let event = Event::new_with_event_init_dict("click", &init).expect("create event");
    element.dispatch_event(&event).expect("dispatch click");
}

fn type_into(root: &Element, selector: &str, value: &str) {
    let input: HtmlInputElement = find_html(root, selector).unchecked_into();
    input.set_value(value);
    fire_input(&input);
}

/// The card of the order this page sent (the scenario sends its own too).
fn my_card(root: &Element) -> Element {
    let cards = root
        .query_selector_all(".shop-order")
        .expect("valid selector");
    (0..cards.length())
        .filter_map(|i| cards.item(i))
        .map(|n| n.unchecked_into::<Element>())
        .find(|c| {
            c.query_selector(".shop-order__origin.is-mine")
                .ok()
                .flatten()
                .is_some()
        })
        .unwrap_or_else(|| panic!("no card of ours in:\n{}", root.outer_html()))
}

#[wasm_bindgen_test]
async fn the_seed_example_is_approved_with_three_suggested_books() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <ShopPanel /> });
    button(&root, "Fill with the seed's example").click();
    settle().await;
    let name: HtmlInputElement = find_html(&root, "#shop-name").unchecked_into();
    assert_eq!(name.value(), "John Doe");
    assert!(text(&find(&root, ".shop-cart")).contains("Clean Architecture"));

    button(&root, "Place order").click();
    settle().await;
    assert!(
        text(&find(&root, ".shop-sent")).contains("paused"),
        "a paused run says so"
    );

    run(sim, 8_000_000).await;
    assert_eq!(
        count(&root, ".shop-sent"),
        0,
        "the banner goes once the order is in the world"
    );
    let card = my_card(&root);
    assert!(
        card.class_list().contains("is-approved"),
        "{}",
        card.outer_html()
    );
    assert_eq!(text(&find(&card, ".shop-order__title")), "Order Approved");
    assert_eq!(count(&card, ".shop-suggest__book"), 3);
    assert!(text(&find(&card, ".shop-suggest__list")).contains("Software Engineering"));
    assert!(text(&find(&card, ".shop-clock")).contains("orchestrator"));
    assert!(
        text(&find(&card, ".shop-order__fulfil")).contains("committed"),
        "executed by the leader within 8 s"
    );
}

#[wasm_bindgen_test]
async fn a_malformed_raw_body_gets_a_clear_error() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <ShopPanel /> });
    button(&root, "Raw JSON").click();
    settle().await;
    button(&root, "Malformed JSON").click();
    settle().await;
    assert!(text(&find(&root, ".shop-raw")).contains("Not valid JSON"));
    button(&root, "Send this body").click();
    run(sim, 1_000_000).await;
    let card = my_card(&root);
    assert!(
        card.class_list().contains("is-rejected"),
        "{}",
        card.outer_html()
    );
    assert_eq!(text(&find(&card, ".shop-errors__field")), "body");
    assert!(text(&find(&card, ".shop-errors__message")).contains("JSON"));
}

#[wasm_bindgen_test]
async fn a_bad_card_is_rejected_and_its_input_is_flagged() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <ShopPanel /> });
    button(&root, "Add a bad card").click();
    settle().await;
    assert!(
        text(&find(&root, "#shop-card-number-note")).contains("Luhn"),
        "the client hints before sending"
    );
    button(&root, "Place order").click();
    run(sim, 3_000_000).await;
    let card = my_card(&root);
    assert!(card.class_list().contains("is-rejected"));
    assert!(text(&find(&card, ".shop-errors")).contains("creditCard.number"));
    let note = find(&root, "#shop-card-number-note .is-service");
    assert!(
        text(&note).contains("creditCard.number"),
        "the services' verdict shows under the input"
    );
}

#[wasm_bindgen_test]
async fn searching_and_adding_builds_a_cart_with_a_running_total() {
    let (root, _mounted, _sim) = mount_checkout(|| view! { <ShopPanel /> });
    type_into(&root, "#shop-search", "dune");
    settle().await;
    assert!(text(&find(&root, "#shop-results")).contains("Frank Herbert"));
    button(&root, "Add Dune to the cart").click();
    settle().await;
    let unit = text(&find(&root, ".shop-line__price")).replace(" each", "");
    assert_eq!(text(&find(&root, ".shop-cart__sum")), unit);
    button(&root, "One more Dune").click();
    settle().await;
    let qty: HtmlInputElement = find_html(&root, ".shop-stepper__value").unchecked_into();
    assert_eq!(qty.value(), "2");
    assert!(text(&find(&root, ".shop-cart__total")).contains("2 copies"));
    button(&root, "Remove Dune").click();
    settle().await;
    assert_eq!(count(&root, ".shop-line"), 0);
}

#[wasm_bindgen_test]
async fn the_orders_tab_draws_the_dag_with_six_ok_events_and_the_journey() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <OrdersPanel /> });
    assert!(text(&find(&root, ".orders__empty")).contains("No orders yet"));
    run(sim, 3_500_000).await; // the scenario sends the example at 2.5 s
    assert_eq!(count(&root, ".orders-item"), 1);
    assert_eq!(count(&root, ".dag-node"), 6);
    assert_eq!(
        count(&root, ".dag-node[data-state='ok']"),
        6,
        "{}",
        root.outer_html()
    );
    assert_eq!(count(&root, ".dag__edge"), 5);
    let journey = text(&find(&root, ".journey"));
    assert!(
        journey.contains("Executed") && journey.contains("executor-"),
        "{journey}"
    );

    click(&find(&root, ".dag-node[data-event='e']"));
    settle().await;
    let details = text(&find(&root, ".dag-details"));
    assert!(
        details.contains("CheckCreditCardData") && details.contains("fraud ran it"),
        "{details}"
    );
}

#[wasm_bindgen_test]
async fn a_rejected_order_shows_the_failed_check_and_skips_the_rest() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <OrdersPanel /> });
    run(sim, 4_600_000).await; // the scenario's bad card arrives at 4 s
    let newest = find(&root, ".orders-item.is-open");
    assert!(text(&newest).contains("rejected"));
    assert_eq!(
        attr(&find(&newest, ".dag-node[data-event='c']"), "data-state"),
        "failed"
    );
    assert_eq!(
        attr(&find(&newest, ".dag-node[data-event='f']"), "data-state"),
        "skipped"
    );
    assert!(text(&find(&newest, ".orders-problems")).contains("creditCard.number"));
}

#[wasm_bindgen_test]
async fn opening_an_order_narrows_the_log_to_it() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <OrdersPanel /> <LogPanel /> });
    run(sim, 6_000_000).await;
    let total = count(&root, ".log-line");
    // The newest order is open; open the first one instead.
    let heads = root
        .query_selector_all(".orders-item__head")
        .expect("valid selector");
    let first: web_sys::HtmlElement = heads
        .item(heads.length() - 1)
        .expect("an order")
        .unchecked_into();
    first.click();
    settle().await;
    assert!(text(&find(&root, ".log__order")).contains("ord-0001"));
    let kept = count(&root, ".log-line");
    assert!(kept > 0 && kept < total, "{kept} of {total}");
    assert!(!text(&find(&root, ".log__lines")).contains("ord-0002"));
    button(&root, "Show every order").click();
    settle().await;
    assert_eq!(count(&root, ".log-line"), total);
}

#[wasm_bindgen_test]
async fn kind_chips_and_the_text_box_filter_the_log() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <LogPanel /> });
    run(sim, 6_000_000).await;
    let total = count(&root, ".log-line");
    assert!(count(&root, ".log-line.is-roles") > 0);
    find_html(&root, ".log-chip.is-roles").click();
    settle().await;
    assert_eq!(count(&root, ".log-line.is-roles"), 0);
    assert!(count(&root, ".log-line") < total);
    type_into(&root, ".log__search", "executed");
    settle().await;
    assert!(count(&root, ".log-line") >= 1);
    assert!(text(&find(&root, ".log__lines")).contains("executed ord-0001"));
}

#[wasm_bindgen_test]
async fn the_cluster_tab_shows_one_leader_its_term_and_the_queue() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <ClusterPanel /> });
    run(sim, 3_000_000).await;
    assert_eq!(count(&root, ".cluster-node"), 3);
    assert_eq!(count(&root, ".cluster-node.is-leader"), 1);
    assert_eq!(count(&root, ".cluster-node.is-follower"), 2);
    assert_eq!(
        count(&root, ".cluster-timer:not([hidden])"),
        2,
        "followers run election timers"
    );
    assert!(text(&find(&root, ".cluster-terms")).contains("term 1"));
    assert!(text(&find(&root, ".cluster-queue__status")).contains("executed"));
}

#[wasm_bindgen_test]
async fn the_cluster_tab_shows_the_stock_on_every_replica_with_the_primary_marked() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <ClusterPanel /> });
    run(sim, 3_000_000).await;
    let stock = find(&root, "[data-testid='stock-panel']");
    assert_eq!(
        count(&stock, ".stock__replica"),
        3,
        "one column per replica"
    );
    assert_eq!(
        count(&stock, ".stock__replica.is-primary"),
        1,
        "{}",
        stock.outer_html()
    );
    let filter: HtmlInputElement = find(&stock, "input[type='search']").unchecked_into();
    assert_eq!(attr(&filter, "aria-label"), "Filter stock by title");
}

#[wasm_bindgen_test]
async fn the_orders_tab_lists_the_orders_transaction_from_the_typed_facts() {
    let (root, _mounted, sim) = mount_checkout(|| view! { <OrdersPanel /> });
    run(sim, 8_000_000).await; // the example arrives at 2.5 s and is leased soon after
    let started = sim
        .snapshot
        .with_untracked(|s| s.txns.iter().any(|t| t.order_id == "ord-0001"));
    assert!(
        started,
        "the executor leader started the example's transaction"
    );
    let table = text(&find(&root, "[data-testid='txns-panel']"));
    assert!(
        table.contains("tx-ord-0001") && table.contains("ord-0001"),
        "{table}"
    );
    click(&find(
        &root,
        "[data-testid='txns-panel'] button[aria-label='Open order ord-0001']",
    ));
    settle().await;
    let journey = text(&find(&root, ".orders-item.is-open .journey"));
    assert!(
        journey.contains("Prepare") && journey.contains("Decision"),
        "{journey}"
    );
}
