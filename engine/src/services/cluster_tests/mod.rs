//! Native tests of the order queue and the executor cluster on the simulated world.
mod alternative_tests;
mod config_view_tests;
mod durability_tests;
mod election_tests;
mod harness;
mod invariants;
mod queue_tests;
mod redelivery_tests;
mod swarm;
mod swarm_tests;
