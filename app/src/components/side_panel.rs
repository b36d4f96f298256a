//! The side panel: the narration (a picker, or the step on show) on top, the inspector for
//! the selected node, then tabs for the shop, the orders, the cluster, faults, the log and the
//! invariant checks.
use leptos::prelude::*;

use crate::components::{
    ChecksPanel, ClusterPanel, FaultsPanel, LogPanel, NarrationPanel, NodeInspector, OrdersPanel,
    ShopPanel,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Shop,
    Orders,
    Cluster,
    Faults,
    Log,
    Checks,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Shop,
        Tab::Orders,
        Tab::Cluster,
        Tab::Faults,
        Tab::Log,
        Tab::Checks,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Tab::Shop => "Shop",
            Tab::Orders => "Orders",
            Tab::Cluster => "Cluster",
            Tab::Faults => "Faults",
            Tab::Log => "Log",
            Tab::Checks => "Checks",
        }
    }

    fn id(self) -> &'static str {
        match self {
            Tab::Shop => "tab-shop",
            Tab::Orders => "tab-orders",
            Tab::Cluster => "tab-cluster",
            Tab::Faults => "tab-faults",
            Tab::Log => "tab-log",
            Tab::Checks => "tab-checks",
        }
    }
}

#[component]
pub fn SidePanel() -> impl IntoView {
    let tab = RwSignal::new(Tab::Shop);
    provide_context(tab);
    let violations = crate::components::checks_panel::violation_count();
    view! {
        <aside class="side-panel" aria-label="Run details">
            <NarrationPanel />
            <NodeInspector />
            <div class="tabs" role="tablist" aria-label="Panels">
                {Tab::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <button
                                type="button"
                                role="tab"
                                id=t.id()
                                class="tabs__tab"
                                class:is-active=move || tab.get() == t
                                aria-selected=move || if tab.get() == t { "true" } else { "false" }
                                on:click=move |_| tab.set(t)
                            >
                                {t.label()}
                                {(t == Tab::Checks).then(|| view! {
                                    <span class="tabs__badge" aria-label="invariant violations" hidden=move || violations.get() == 0>
                                        {move || violations.get()}
                                    </span>
                                })}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="tabs__panel" role="tabpanel" aria-labelledby=move || tab.get().id()>
                {move || match tab.get() {
                    Tab::Shop => view! { <ShopPanel /> }.into_any(),
                    Tab::Orders => view! { <OrdersPanel /> }.into_any(),
                    Tab::Cluster => view! { <ClusterPanel /> }.into_any(),
                    Tab::Faults => view! { <FaultsPanel /> }.into_any(),
                    Tab::Log => view! { <LogPanel /> }.into_any(),
                    Tab::Checks => view! { <ChecksPanel /> }.into_any(),
                }}
            </div>
        </aside>
    }
}
