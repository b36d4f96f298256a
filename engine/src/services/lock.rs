//! The lock node (seed 002's Redis): a `LockServer` answering executors' lease requests.
//! Its state — above all the fencing-token counter — is written and synced before each answer
//! that changed it, so a restarted lock node never hands out a token twice. While its disk is
//! full it answers nothing (it could not keep the promise), and the executors retry.

use crate::msg::Msg;
use crate::protocol::lease::{LeaseReply, LockServer, LockServerState};
use crate::sim::futures::{select_biased, Either};
use crate::sim::{NodeCtx, NodeId, World};
use crate::view::{LockView, NodeView};

const STATE_KEY: &str = "lock/state";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LockServiceConfig {
    /// The key whose holder the page shows (the executors' `LeaseConfig::key`).
    pub key: String,
}

impl Default for LockServiceConfig {
    fn default() -> Self {
        Self {
            key: crate::protocol::lease::LeaseConfig::default().key,
        }
    }
}

/// Runs the lock node: restores the server from disk, then answers every `LeaseReq`.
pub async fn lock_node(ctx: NodeCtx, cfg: LockServiceConfig) {
    let stored: Option<LockServerState> = ctx.durable(|d| d.get(STATE_KEY));
    let mut server = stored.map(LockServer::from_durable).unwrap_or_default();
    let mut last_view = None;
    loop {
        let now = ctx.now();
        let view = lock_view(&server, &cfg.key, now);
        if last_view.as_ref() != Some(&view) {
            ctx.set_view(NodeView::LockServer(view.clone()));
            last_view = Some(view.clone());
        }
        // Wake when the shown lock expires, so the page sees it go free.
        let env = match view.expires_at_us {
            Some(at) => match select_biased(ctx.recv(), ctx.sleep_until(at)).await {
                Either::Left(env) => env,
                Either::Right(()) => continue,
            },
            None => ctx.recv().await,
        };
        let Msg::LeaseReq(req) = env.msg.clone() else {
            continue;
        };
        if let Err(e) = ctx.durable(|d| d.writable()) {
            ctx.log(format!("lease request from {} not answered: {e}", env.from));
            continue;
        }
        // Expiries are on this node's clock and never leave it as something to compare with:
        // clients count their lease from their own send time (protocol/lease/client.rs).
        let reply = server.handle(ctx.now(), env.from, req);
        if !matches!(
            reply,
            LeaseReply::Held { .. } | LeaseReply::NotHolder { .. } | LeaseReply::Rejected { .. }
        ) {
            let state = server.to_durable();
            if let Err(e) = ctx.durable(|d| d.put(STATE_KEY, &state)) {
                // Checked writable above, and the disk fills only between steps.
                ctx.log(format!("lock state not saved, not answering: {e}"));
                continue;
            }
        }
        ctx.sync().await;
        ctx.reply(&env, Msg::LeaseRep(reply));
    }
}

fn lock_view(server: &LockServer, key: &str, now_us: u64) -> LockView {
    match server.holder(key, now_us) {
        Some(rec) => LockView {
            holder: Some(rec.holder),
            token: rec.token,
            expires_at_us: Some(rec.expires_at_us),
        },
        None => LockView {
            holder: None,
            token: server.last_token(),
            expires_at_us: None,
        },
    }
}

/// Adds the lock node, named "lock" (the name lease-mode executors look for by default).
pub fn add_lock(world: &mut World, cfg: LockServiceConfig) -> Result<NodeId, String> {
    world.add_node("lock", "lock", move |ctx| lock_node(ctx, cfg.clone()))
}
