//! Quorum arithmetic as pure functions (no node state), so it can be checked against a table.
//! Tested by `testdata/quorum.txt`.

/// The smallest number of voters that is more than half of `voters`.
pub fn majority(voters: u32) -> u32 {
    voters / 2 + 1
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VoteResult {
    /// Not decided yet: the missing votes could still swing it either way.
    Pending,
    Won,
    /// Even if every missing voter granted, no majority is possible any more.
    Lost,
}

/// The outcome of an election among `voters` with `granted` yes and `rejected` no votes so far.
pub fn vote_result(voters: u32, granted: u32, rejected: u32) -> VoteResult {
    let needed = majority(voters);
    if granted >= needed {
        VoteResult::Won
    } else if voters.saturating_sub(rejected) < needed {
        VoteResult::Lost
    } else {
        VoteResult::Pending
    }
}

/// The highest log index stored on a majority, given each voter's match index (the leader's
/// own last index included). 0 when there are no voters.
pub fn committed_index(match_indexes: &[u64]) -> u64 {
    if match_indexes.is_empty() {
        return 0;
    }
    let mut sorted = match_indexes.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    // With the indexes in descending order, the majority-th one is held by at least a majority.
    let position = majority(sorted.len() as u32) as usize - 1;
    sorted[position]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs one table line and returns what the function said, formatted like the table.
    fn run_line(line: &str) -> Result<(String, String), String> {
        let (call, expected) = line
            .split_once("=>")
            .ok_or(format!("no '=>' in {line:?}"))?;
        let words: Vec<&str> = call.split_whitespace().collect();
        let arg = |name: &str| -> Result<&str, String> {
            words
                .iter()
                .find_map(|w| w.strip_prefix(name))
                .ok_or(format!("no {name} in {line:?}"))
        };
        let got = match words.first().copied() {
            Some("majority") => {
                let n: u32 = arg("n=")?.parse().map_err(|e| format!("{e} in {line:?}"))?;
                majority(n).to_string()
            }
            Some("vote") => {
                let votes = arg("votes=")?;
                let count = |c: char| votes.chars().filter(|v| *v == c).count() as u32;
                format!(
                    "{:?}",
                    vote_result(votes.len() as u32, count('y'), count('n'))
                )
            }
            Some("commit") => {
                let raw = arg("idx=")?;
                let idx: Result<Vec<u64>, _> = raw
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::parse)
                    .collect();
                committed_index(&idx.map_err(|e| format!("{e} in {line:?}"))?).to_string()
            }
            other => return Err(format!("unknown table command {other:?}")),
        };
        Ok((got, expected.trim().to_string()))
    }

    #[test]
    fn quorum_math_matches_the_text_table() {
        let table = include_str!("testdata/quorum.txt");
        let mut checked = 0;
        let mut failures = Vec::new();
        for (number, line) in table.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            match run_line(line) {
                Ok((got, expected)) if got == expected => checked += 1,
                Ok((got, expected)) => failures.push(format!(
                    "line {}: {line} gave {got}, table says {expected}",
                    number + 1
                )),
                Err(why) => failures.push(format!("line {}: {why}", number + 1)),
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(checked >= 30, "only {checked} table rows ran");
    }
}
