//! Settings a person changes while the run goes (the page's "Database & payment" controls, or
//! a scenario's timed inputs): where the storefront reads stock from, and the payment decline
//! rates. Each change is a recorded input like a fault, so a replay or a shared link repeats
//! it at the same virtual millisecond; the services read the new value through the handles the
//! builder gave them, and the trace notes the change for the log and the timeline.

use super::config::{ppm, ClusterConfig};
use super::System;
use crate::services::stock_reader::StockReads;
use serde::Serialize;
use std::collections::BTreeMap;

/// What the settings are now (the scenario's configuration plus every change since).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LiveSettings {
    pub stock_reads: StockReads,
    /// Decline probability for brands not listed in `decline_rates`.
    pub decline_rate: f64,
    pub decline_rates: BTreeMap<String, f64>,
    /// Fraud and suggestions ask the optional LLM (replies are recorded inputs).
    pub llm: bool,
    /// The nemesis's settings while it is on (`Action::Nemesis`).
    pub nemesis: Option<crate::nemesis::NemesisSettings>,
}

impl LiveSettings {
    pub fn of(cfg: &ClusterConfig) -> Self {
        Self {
            stock_reads: cfg.stock_reads,
            decline_rate: cfg.decline_rate,
            decline_rates: cfg.decline_rates.clone(),
            llm: false,
            nemesis: None,
        }
    }

    /// The probability a card of `brand` is declined now.
    pub fn decline_rate_of(&self, brand: &str) -> f64 {
        self.decline_rates
            .get(brand)
            .copied()
            .unwrap_or(self.decline_rate)
    }
}

impl System {
    pub fn live_settings(&self) -> &LiveSettings {
        &self.live
    }

    pub(super) fn set_stock_reads(&mut self, mode: StockReads) -> Result<(), String> {
        let reader = self
            .reader
            .as_ref()
            .ok_or("this world runs no books database to read stock from")?;
        reader.set_mode(mode);
        self.live.stock_reads = mode;
        self.world
            .note_setting(format!("stock reads: {}", mode.as_str()));
        Ok(())
    }

    pub(super) fn set_decline_rate(
        &mut self,
        brand: Option<&str>,
        rate: f64,
    ) -> Result<(), String> {
        super::inputs::check_decline_rate(brand, rate)?;
        let declines = self
            .declines
            .as_ref()
            .ok_or("this world runs no payment service")?;
        let mut table = declines.borrow_mut();
        match brand {
            Some(b) => {
                table.by_method.insert(b.to_string(), ppm(rate));
                self.live.decline_rates.insert(b.to_string(), rate);
            }
            None => {
                table.default_ppm = ppm(rate);
                self.live.decline_rate = rate;
            }
        }
        drop(table);
        let who = brand.unwrap_or("other brands");
        self.world
            .note_setting(format!("decline rate {who}: {:.1}%", rate * 100.0));
        Ok(())
    }

    pub(super) fn set_llm(&mut self, on: bool) -> Result<(), String> {
        if self.llm.is_none() {
            return Err("this world runs no checkout services to ask the LLM".into());
        }
        self.world.set_flag(crate::services::llm_desk::LLM_FLAG, on);
        self.live.llm = on;
        Ok(())
    }

    /// Hands a recorded reply to the request waiting for it; a reply nobody waits for (timed
    /// out, node crashed) is an input error of the run.
    pub(super) fn deliver_llm_reply(
        &mut self,
        request: u64,
        reply: &crate::llm::LlmReply,
    ) -> Result<(), String> {
        let desk = self
            .llm
            .as_ref()
            .ok_or("this world runs no checkout services to ask the LLM")?;
        desk.deliver(request, reply.clone())
    }

    /// LLM requests issued and not answered yet (what the page fetches for), oldest first.
    pub fn llm_outstanding(&self) -> Vec<crate::llm::LlmRequest> {
        self.llm
            .as_ref()
            .map(|d| d.outstanding())
            .unwrap_or_default()
    }

    /// Whether some LLM request waits with no reply scheduled for it (the page must fetch one).
    pub fn llm_needs_reply(&self) -> bool {
        let Some(desk) = &self.llm else {
            return false;
        };
        // Cheap first: almost always nothing is waiting, and then the inputs are not scanned.
        desk.has_unanswered()
            && desk
                .outstanding()
                .iter()
                .any(|r| !self.llm_reply_scheduled(r.id))
    }

    /// Whether a reply to `request` is already scheduled as an input (not applied yet).
    pub fn llm_reply_scheduled(&self, request: u64) -> bool {
        self.pending
            .iter()
            .any(|i| matches!(&i.action, super::inputs::Action::LlmReply { request: r, .. } if *r == request))
    }

    /// Turns the nemesis on (replacing an earlier one) or off; either way the episodes under
    /// way are still undone. Its RNG is drawn from the seed and this moment, so a replay of the same input
    /// draws the same faults.
    pub(super) fn set_nemesis(&mut self, settings: crate::nemesis::NemesisSettings) {
        use crate::nemesis::{draw::Targets, live::LiveNemesis};
        let text = if settings.is_off() {
            "nemesis off".to_string()
        } else {
            format!("nemesis on: {}", settings.to_text())
        };
        if settings.is_off() {
            if let Some(n) = self.nemesis.as_mut() {
                n.stop();
            }
        } else {
            let targets = Targets::of(&self.world, &self.cfg);
            let at_ms = self.now().div_ceil(1000);
            let mut nemesis = LiveNemesis::new(self.seed(), at_ms, settings.clone(), targets);
            if let Some(old) = self.nemesis.take() {
                nemesis.inherit(old);
            }
            self.nemesis = Some(nemesis);
        }
        self.live.nemesis = (!settings.is_off()).then_some(settings);
        self.world.note_setting(text);
    }

    /// A checkout names books: the storefront starts watching their stock (titles as the
    /// catalog spells them, the database's keys). A body that does not parse names none.
    pub(super) fn watch_ordered_books(&self, body: &str) {
        let (Some(reader), Some(catalog)) = (&self.reader, &self.catalog) else {
            return;
        };
        let Ok(req) = serde_json::from_str::<crate::checkout::CheckoutRequest>(body) else {
            return;
        };
        for item in req.items.iter().rev() {
            if let Some(book) = catalog.find_title(&item.name) {
                reader.watch(&book.title);
            }
        }
    }
}
