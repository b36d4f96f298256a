//! Hooks: one file per hook, each returning a small handle (leptos-use style).
pub mod animation_frame;

pub use animation_frame::{use_animation_frame, AnimationFrame, FrameTick};
