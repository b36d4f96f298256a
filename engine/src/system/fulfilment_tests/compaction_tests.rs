//! Raft log compaction on the full deployment: a database backup and an executor stay down
//! while both clusters commit more than `COMPACT_EVERY_ENTRIES` entries and compact them away;
//! when they come back, only the leaders' snapshots can catch them up. Afterwards the replicas
//! agree, no checker objects, and the disks hold snapshots instead of the whole history.

use super::*;
use crate::scenario::workload::Workload;
use crate::services::raft_storage::COMPACT_EVERY_ENTRIES;

#[test]
fn replicas_that_missed_compacted_entries_are_caught_up_by_snapshots_and_converge() {
    let mut inputs = Workload::new(20, 120_000, 5).expect("workload").inputs();
    inputs.push(TimedInput::at(3_000, Action::Crash("books-db-2".into())));
    inputs.push(TimedInput::at(3_000, Action::Crash("executor-2".into())));
    inputs.push(TimedInput::at(125_000, Action::RestartCrashed));
    inputs.sort_by_key(|i| i.at_ms);
    let mut sys = system(config(Election::Raft), 5, inputs);
    sys.run_until(secs(150));

    let snapshots_sent = sys
        .world()
        .trace()
        .since(0)
        .filter(|e| {
            matches!(
                e.kind,
                TraceKind::Send {
                    label: "Snapshot",
                    ..
                }
            )
        })
        .count();
    assert!(snapshots_sent >= 2, "only {snapshots_sent} snapshots sent");
    for node in ["books-db-0", "books-db-2", "executor-0", "executor-2"] {
        let id = sys.world().node_id(node).expect("node");
        let disk = sys.world().durable(id).expect("disk");
        let entries = disk.scan_prefix("raft/log/").count() as u64;
        assert!(
            disk.get::<serde_json::Value>("raft/snapshot").is_some(),
            "{node} holds a snapshot"
        );
        assert!(
            entries <= 2 * COMPACT_EVERY_ENTRIES,
            "{node} keeps {entries} log entries on disk"
        );
    }
    assert_eq!(violations(&sys), Vec::<String>::new());
    assert_eq!(unconverged_replicas(&sys), Vec::<String>::new());
}
