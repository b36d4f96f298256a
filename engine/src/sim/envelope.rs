//! A message on the wire.
use super::time::Micros;
use super::NodeId;
use crate::msg::Msg;

/// Whether a message is a plain send, an RPC request awaiting a reply, or a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RpcTag {
    None,
    Request(u64),
    Reply(u64),
}

#[derive(Clone, Debug)]
pub struct Envelope {
    pub id: u64,
    pub from: NodeId,
    pub to: NodeId,
    pub sent_at: Micros,
    pub deliver_at: Micros,
    pub rpc: RpcTag,
    /// Correlation ID of the order this message serves (0 = none).
    pub corr: u64,
    pub msg: Msg,
}
