//! Which order the Orders tab shows opened, and links between tabs (a shop card opens its
//! order; an order opens its log lines). Lives on the page's root owner.
use leptos::prelude::*;

use crate::components::side_panel::Tab;
use crate::view_model::log_filter::{use_log_filter, use_page_context, LogFilter};

#[derive(Clone, Copy)]
pub struct OrdersUi {
    /// The opened order; `None` opens the newest.
    pub selected: RwSignal<Option<String>>,
}

pub fn use_orders_ui() -> OrdersUi {
    use_page_context(|| OrdersUi {
        selected: RwSignal::new(None),
    })
}

/// Cross-tab links, captured when a component is created (event handlers run outside it).
#[derive(Clone, Copy)]
pub struct Nav {
    orders: OrdersUi,
    log: LogFilter,
    tab: Option<RwSignal<Tab>>,
}

pub fn use_nav() -> Nav {
    Nav {
        orders: use_orders_ui(),
        log: use_log_filter(),
        tab: use_context::<RwSignal<Tab>>(),
    }
}

impl Nav {
    /// Opens `order_id` in the Orders tab.
    pub fn show_order(&self, order_id: &str) {
        self.orders.selected.set(Some(order_id.to_string()));
        if let Some(tab) = self.tab {
            tab.set(Tab::Orders);
        }
    }

    /// Narrows the Log tab to `order_id` and opens it.
    pub fn show_log(&self, order_id: &str) {
        self.log.order.set(Some(order_id.to_string()));
        if let Some(tab) = self.tab {
            tab.set(Tab::Log);
        }
    }

    /// True when mounted inside the side panel's tabs (links can switch tabs).
    pub fn has_tabs(&self) -> bool {
        self.tab.is_some()
    }
}
