//! The order the Log tab is narrowed to, shared by the Orders tab (which sets it when an order
//! is clicked) and the Log tab (which applies and clears it). The tabs are siblings that mount
//! one at a time, so the signal lives on the page's root owner: it outlives tab switches and
//! is disposed with the page (or with a test's mount).
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct LogFilter {
    /// The order id the log shows, or every line.
    pub order: RwSignal<Option<String>>,
}

/// The page's log filter, created on first use.
pub fn use_log_filter() -> LogFilter {
    use_page_context(|| LogFilter {
        order: RwSignal::new(None),
    })
}

/// A context value that lives as long as the page: found if any component already made it,
/// else made by `make` on the root owner (so signals inside it survive the tab that made them)
/// and provided there for everyone.
pub fn use_page_context<T: Clone + Send + Sync + 'static>(make: impl FnOnce() -> T) -> T {
    if let Some(value) = use_context::<T>() {
        return value;
    }
    let Some(mut root) = Owner::current() else {
        return make();
    };
    while let Some(parent) = root.parent() {
        root = parent;
    }
    root.with(|| {
        let value = make();
        provide_context(value.clone());
        value
    })
}
