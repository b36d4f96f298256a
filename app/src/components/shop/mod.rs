//! Pieces of the shop tab: its state, the catalog picker, the cart, the form fields, the raw
//! JSON editor and the "Your orders" cards.
pub mod cart;
pub mod catalog_picker;
pub mod fields;
pub mod order_cards;
pub mod raw_editor;
pub mod state;
