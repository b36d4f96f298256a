//! The suggestions service: event f (GetSuggestions) — books similar to the purchased ones by
//! sentence-embedding similarity, or by author/category rules while the world flag
//! "model-down:suggestions" is on (or the embeddings failed to load), which the outcome notes.

use super::validator_cache::{serve_validator, Validator, ValidatorConfig};
use crate::catalog::{suggest, Catalog, Embeddings, SuggestMethod};
use crate::checkout::{CheckoutRequest, FieldError, SuggestedBook};
use crate::msg::{DagEvent, EventOutcome};
use crate::sim::NodeCtx;
use std::collections::BTreeMap;

/// This service's name: its node name and its entry in the vector clocks.
pub const SUGGESTIONS: &str = "suggestions";
/// The world flag of the model-outage fault.
pub const SUGGESTIONS_MODEL_DOWN_FLAG: &str = "model-down:suggestions";

struct Suggestions {
    catalog: Result<Catalog, String>,
    embeddings: Result<Embeddings, String>,
    count: u32,
    /// (basket, model used) → picks. `suggest` is a pure function of these, and ranking the
    /// whole catalog per order was a tenth of a load run; baskets repeat, so most orders hit.
    memo: BTreeMap<(Vec<u32>, bool), crate::catalog::suggest::Suggestions>,
}

/// Memo entries kept before the memo starts afresh (a bound, not a tuning knob: 4,096 baskets
/// of at most a few ids each is well under a megabyte).
const MEMO_MAX: usize = 4096;

impl Validator for Suggestions {
    fn runs(&self, event: DagEvent) -> bool {
        event.service() == SUGGESTIONS
    }

    fn run(
        &mut self,
        ctx: &NodeCtx,
        corr: u64,
        event: DagEvent,
        req: &CheckoutRequest,
    ) -> EventOutcome {
        if event != DagEvent::GetSuggestions {
            return failed(format!("does not run {}", event.name()));
        }
        let catalog = match &self.catalog {
            Ok(c) => c,
            Err(why) => return failed(format!("catalog unavailable: {why}")),
        };
        let purchased: Vec<u32> = req
            .items
            .iter()
            .filter_map(|i| catalog.find_title(&i.name))
            .map(|b| b.id)
            .collect();
        let model = if ctx.flag(SUGGESTIONS_MODEL_DOWN_FLAG) {
            None
        } else {
            self.embeddings.as_ref().ok()
        };
        let key = (purchased, model.is_some());
        if !self.memo.contains_key(&key) {
            if self.memo.len() >= MEMO_MAX {
                self.memo.clear();
            }
            let picks = suggest(catalog, model, &key.0, self.count as usize);
            self.memo.insert(key.clone(), picks);
        }
        let picked = &self.memo[&key];
        let books = picked
            .books
            .iter()
            .filter_map(|id| catalog.by_id(*id))
            .map(|b| SuggestedBook {
                title: b.title.clone(),
                author: b.author.clone(),
                category: b.category.clone(),
            })
            .collect();
        let mut notes = Vec::new();
        if picked.method == SuggestMethod::RuleFallback {
            let why = if model.is_none() {
                "model unavailable"
            } else {
                "no purchased book is in the catalog"
            };
            let note = format!(
                "{SUGGESTIONS}: {why}, suggested by the author/category rules ({})",
                picked.method.as_str()
            );
            ctx.log_corr(corr, note.clone());
            notes.push(note);
        }
        EventOutcome {
            ok: true,
            errors: Vec::new(),
            suggestions: books,
            notes,
        }
    }

    fn model_up(&self, ctx: &NodeCtx) -> bool {
        self.embeddings.is_ok() && !ctx.flag(SUGGESTIONS_MODEL_DOWN_FLAG)
    }
}

fn failed(message: String) -> EventOutcome {
    EventOutcome {
        ok: false,
        errors: vec![FieldError::new(SUGGESTIONS, message)],
        ..Default::default()
    }
}

/// The suggestions node (look it up as "suggestions").
pub async fn suggestions_node(ctx: NodeCtx, cfg: ValidatorConfig) {
    let catalog = Catalog::embedded();
    let embeddings = match &catalog {
        Ok(c) => Embeddings::embedded(c),
        Err(why) => Err(format!("no catalog: {why}")),
    };
    if let Err(why) = &embeddings {
        ctx.log(format!(
            "{SUGGESTIONS}: embeddings failed to load, suggesting by rules only: {why}"
        ));
    }
    let validator = Suggestions {
        catalog,
        embeddings,
        count: cfg.suggestions_count,
        memo: BTreeMap::new(),
    };
    serve_validator(ctx, SUGGESTIONS, cfg, validator).await;
}
