//! The transaction-verification service: events a (VerifyItems), b (VerifyUserData) and
//! c (VerifyCreditCardFormat) of the validation DAG, over the pure checks in `checkout`.

use super::validator_cache::{outcome_of, serve_validator, Validator, ValidatorConfig};
use crate::catalog::Catalog;
use crate::checkout::{
    verify_card_format, verify_items, verify_user_data, CheckoutRequest, FieldError,
};
use crate::msg::{DagEvent, EventOutcome};
use crate::sim::NodeCtx;

/// This service's name: its node name and its entry in the vector clocks.
pub const VERIFICATION: &str = "verification";

struct Verification {
    /// Titles are checked against the shipped catalog; `Err` if it failed to load.
    catalog: Result<Catalog, String>,
    cfg: ValidatorConfig,
}

impl Validator for Verification {
    type Asked = ();

    fn runs(&self, event: DagEvent) -> bool {
        event.service() == VERIFICATION
    }

    fn run(
        &mut self,
        ctx: &NodeCtx,
        _corr: u64,
        event: DagEvent,
        req: &CheckoutRequest,
    ) -> EventOutcome {
        match event {
            DagEvent::VerifyItems => match &self.catalog {
                Ok(catalog) => outcome_of(verify_items(req, &|title| {
                    catalog.find_title(title).is_some()
                })),
                Err(why) => outcome_of(Err(vec![FieldError::new(
                    VERIFICATION,
                    format!("catalog unavailable: {why}"),
                )])),
            },
            DagEvent::VerifyUserData => outcome_of(verify_user_data(req)),
            DagEvent::VerifyCardFormat => {
                // "Today" is the simulation's calendar, never the wall clock — read on this
                // node's own clock, so a node whose clock is off judges expiry by its own date,
                // as a real server would.
                let today = self.cfg.calendar_start.add_micros(ctx.now());
                outcome_of(verify_card_format(req, today))
            }
            other => outcome_of(Err(vec![FieldError::new(
                VERIFICATION,
                format!("does not run {}", other.name()),
            )])),
        }
    }

    fn model_up(&self, _ctx: &NodeCtx) -> bool {
        // No model here: only the catalog, which is either loaded or not.
        self.catalog.is_ok()
    }
}

/// The transaction-verification node (look it up as "verification").
pub async fn verification_node(ctx: NodeCtx, cfg: ValidatorConfig) {
    let catalog = Catalog::embedded();
    if let Err(why) = &catalog {
        ctx.log(format!(
            "{VERIFICATION}: catalog failed to load, every VerifyItems will fail: {why}"
        ));
    }
    let validator = Verification {
        catalog,
        cfg: cfg.clone(),
    };
    serve_validator(ctx, VERIFICATION, cfg, validator).await;
}
