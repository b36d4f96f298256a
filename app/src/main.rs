//! Entry point for trunk: install the panic hook first, then mount the app on <body>.
fn main() {
    app::panic_hook::install();
    leptos::mount::mount_to_body(app::App);
}
