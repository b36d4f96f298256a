//! The suggestions service: event f (GetSuggestions) — books similar to the purchased ones by
//! sentence-embedding similarity, or by author/category rules while the world flag
//! "model-down:suggestions" is on (or the embeddings failed to load), which the outcome notes.
//! While the LLM option is on, the model is asked instead, and only catalog titles it names
//! are kept; no usable answer falls back to the embeddings, visibly (`llm_desk.rs`).

use super::llm_desk::LlmAnswer;
use super::validator_cache::{serve_validator, Validator, ValidatorConfig};
use crate::catalog::{suggest, Catalog, Embeddings, SuggestMethod};
use crate::checkout::{CheckoutRequest, FieldError, SuggestedBook};
use crate::llm::{parse_suggestions, suggestions_prompt, LlmFailure, LlmPrompt, LlmService};
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
    /// The catalog titles the model was allowed to name.
    type Asked = Vec<String>;

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

    fn ask_llm(
        &mut self,
        _ctx: &NodeCtx,
        event: DagEvent,
        req: &CheckoutRequest,
    ) -> Option<(LlmService, LlmPrompt, Vec<String>)> {
        let catalog = self.catalog.as_ref().ok()?;
        if event != DagEvent::GetSuggestions {
            return None;
        }
        let purchased: Vec<String> = req
            .items
            .iter()
            .filter_map(|i| catalog.find_title(&i.name))
            .map(|b| b.title.clone())
            .collect();
        // Every catalog title but the purchased ones (in catalog order).
        let allowed: Vec<String> = catalog
            .books()
            .iter()
            .filter(|b| !purchased.contains(&b.title))
            .map(|b| b.title.clone())
            .collect();
        let prompt = suggestions_prompt(&purchased, allowed.clone(), self.count);
        Some((LlmService::Suggestions, prompt, allowed))
    }

    fn decide_with_llm(
        &mut self,
        ctx: &NodeCtx,
        corr: u64,
        event: DagEvent,
        req: &CheckoutRequest,
        allowed: Vec<String>,
        answer: LlmAnswer,
    ) -> EventOutcome {
        let picked = answer.result.clone().and_then(|text| {
            let picked = parse_suggestions(&text, &allowed, self.count as usize)
                .map_err(LlmFailure::Malformed)?;
            if picked.titles.is_empty() {
                return Err(LlmFailure::Malformed(format!(
                    "none of its suggestions is a catalog title ({} unknown dropped)",
                    picked.dropped_unknown
                )));
            }
            Ok(picked)
        });
        let (picked, catalog) = match (picked, &self.catalog) {
            (Ok(p), Ok(c)) => (p, c),
            (Err(failure), _) => {
                let line = answer.settle_fallback(ctx, corr, &failure);
                let mut outcome = self.run(ctx, corr, event, req);
                outcome.notes.insert(0, line);
                return outcome;
            }
            (Ok(_), Err(why)) => return failed(format!("catalog unavailable: {why}")),
        };
        let books = picked
            .titles
            .iter()
            .filter_map(|t| catalog.find_title(t))
            .map(|b| SuggestedBook {
                title: b.title.clone(),
                author: b.author.clone(),
                category: b.category.clone(),
            })
            .collect::<Vec<_>>();
        let summary = format!(
            "{} catalog titles suggested, {} unknown titles dropped",
            books.len(),
            picked.dropped_unknown
        );
        answer.settle_used(ctx, corr, summary.clone());
        EventOutcome {
            ok: true,
            errors: Vec::new(),
            suggestions: books,
            notes: vec![format!("{SUGGESTIONS}: by the LLM: {summary}")],
        }
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
