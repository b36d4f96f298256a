//! `use_animation_frame`: the page's ONE requestAnimationFrame loop.
//!
//! Everything that moves with time (today the shell's virtual clock, later the engine) is
//! advanced from this single callback, never from per-node timers. The loop can be paused so
//! a paused page costs no CPU, and it is cancelled when the owning component is dropped.
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use leptos::prelude::on_cleanup;
use send_wrapper::SendWrapper;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What the callback learns about a frame.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameTick {
    /// The frame's timestamp (`DOMHighResTimeStamp`, ms since page load).
    pub now_ms: f64,
    /// Wall time since the previous frame of this loop; 0 on the first frame after
    /// a resume, so time spent paused never counts.
    pub delta_ms: f64,
}

/// Handle to the loop. Cloning it gives another handle to the same loop.
#[derive(Clone)]
pub struct AnimationFrame {
    state: Rc<LoopState>,
}

struct LoopState {
    on_frame: RefCell<Box<dyn FnMut(FrameTick)>>,
    active: Cell<bool>,
    pending_request: Cell<Option<i32>>,
    last_frame_ms: Cell<Option<f64>>,
    /// The JS callback handed to the browser; it holds only a Weak back-reference, so
    /// dropping the last handle frees the loop.
    js_callback: RefCell<Option<FrameCallback>>,
}

/// The browser-facing callback `requestAnimationFrame` calls with its timestamp.
type FrameCallback = Closure<dyn FnMut(f64)>;

/// Creates a paused loop that calls `on_frame` once per animation frame while active.
/// Call [`AnimationFrame::resume`] to start it.
pub fn use_animation_frame(on_frame: impl FnMut(FrameTick) + 'static) -> AnimationFrame {
    let state = Rc::new(LoopState {
        on_frame: RefCell::new(Box::new(on_frame)),
        active: Cell::new(false),
        pending_request: Cell::new(None),
        last_frame_ms: Cell::new(None),
        js_callback: RefCell::new(None),
    });
    let weak: Weak<LoopState> = Rc::downgrade(&state);
    let callback = Closure::<dyn FnMut(f64)>::new(move |now_ms: f64| {
        if let Some(state) = weak.upgrade() {
            state.run_frame(now_ms);
        }
    });
    *state.js_callback.borrow_mut() = Some(callback);

    let handle = AnimationFrame { state };
    // Cleanups must be Send + Sync in Leptos 0.8; this one only ever runs on the page's thread.
    let on_drop = SendWrapper::new(handle.clone());
    on_cleanup(move || {
        on_drop.pause();
        on_drop.state.js_callback.borrow_mut().take();
    });
    handle
}

impl AnimationFrame {
    /// Starts calling back on the next frame. Does nothing if already running.
    pub fn resume(&self) {
        if self.state.active.replace(true) {
            return;
        }
        self.state.last_frame_ms.set(None);
        self.state.request_next_frame();
    }

    /// Stops calling back; a frame already requested is cancelled.
    pub fn pause(&self) {
        self.state.active.set(false);
        if let Some(id) = self.state.pending_request.take() {
            if let Some(window) = web_sys::window() {
                // Cancelling an id that already fired is harmless.
                let _ = window.cancel_animation_frame(id);
            }
        }
    }

    pub fn is_active(&self) -> bool {
        self.state.active.get()
    }
}

impl LoopState {
    fn run_frame(&self, now_ms: f64) {
        self.pending_request.set(None);
        if !self.active.get() {
            return;
        }
        let delta_ms = self
            .last_frame_ms
            .replace(Some(now_ms))
            .map_or(0.0, |last| now_ms - last);
        // The callback may pause or resume the loop itself; `active` is re-read afterwards.
        (self.on_frame.borrow_mut())(FrameTick { now_ms, delta_ms });
        if self.active.get() && self.pending_request.get().is_none() {
            self.request_next_frame();
        }
    }

    fn request_next_frame(&self) {
        let Some(window) = web_sys::window() else {
            self.active.set(false);
            return;
        };
        let callback = self.js_callback.borrow();
        let Some(callback) = callback.as_ref() else {
            self.active.set(false); // the owner was cleaned up
            return;
        };
        match window.request_animation_frame(callback.as_ref().unchecked_ref()) {
            Ok(id) => self.pending_request.set(Some(id)),
            Err(error) => {
                self.active.set(false);
                web_sys::console::error_2(&"bookmesh: requestAnimationFrame failed".into(), &error);
            }
        }
    }
}
