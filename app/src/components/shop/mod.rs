//! Pieces of the shop tab: its state, the catalog picker, the cart, the form fields, the raw
//! JSON editor, the copies left as the storefront last read them, and the "Your orders" cards.
pub mod cart;
pub mod catalog_picker;
pub mod fields;
pub mod order_cards;
pub mod raw_editor;
pub mod read_stock;
pub mod state;
