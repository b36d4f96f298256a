//! Tests of the Raft core: handler-level tests on one node, then clusters on a tiny
//! deterministic network with invariant checks after every step.
mod api_tests;
mod append_handler_tests;
mod chaos_tests;
mod election_tests;
mod fixtures;
mod harness;
mod invariants;
mod leader_handler_tests;
mod prevote_tests;
mod replication_tests;
mod snapshot_tests;
mod vote_handler_tests;
