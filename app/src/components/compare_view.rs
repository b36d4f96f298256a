//! Side by side: one built-in scenario, its seed and fault schedule, under two cluster
//! configurations (`key=value,…`, the scenario file's "cluster" fields), and the engine's
//! summary of what differed (`engine::compare`): who led the executors when, both runs on one
//! time axis, and the difference table. Both runs happen on this thread when Compare is
//! pressed (a 20 s scenario takes well under a second). Two live, synchronised mesh panes are
//! not built yet.

use leptos::prelude::*;

use crate::state::compare_link::CompareLink;
use engine::compare::{lanes, summary, Comparison, Variant};
use engine::scenario::builtin;

type Rows = Vec<(&'static str, String, String)>;

/// The difference rows and the lanes' SVG.
fn compare(id: &str, a: &str, b: &str) -> Result<(Rows, String), String> {
    let scenario = builtin::get(id).ok_or_else(|| format!("scenario: no built-in {id:?}"))??;
    let c = Comparison {
        seed: scenario.seed,
        until_ms: scenario.until_ms,
        scenario,
        checkouts_per_sec: None,
    };
    let variant = |text: &str| Variant {
        overrides: text.to_string(),
    };
    let [sa, sb] = c.run(&variant(a), &variant(b))?;
    Ok((summary::rows(&sa, &sb), lanes::svg(&sa, &sb, c.until_ms)))
}

/// `link`: a `#compare=…` link the page was opened with (run at once; an error shown).
#[component]
pub fn CompareView(link: Option<Result<CompareLink, String>>) -> impl IntoView {
    let ids: Vec<&'static str> = builtin::BUILTIN.iter().map(|(id, _)| *id).collect();
    let scenario = RwSignal::new("leader-crash".to_string());
    let a = RwSignal::new("election=raft".to_string());
    let b = RwSignal::new("election=bully".to_string());
    let result = RwSignal::new(None::<Result<(Rows, String), String>>);
    let share = RwSignal::new(String::new());
    let run = move || {
        let (id, ta, tb) = (
            scenario.get_untracked(),
            a.get_untracked(),
            b.get_untracked(),
        );
        result.set(Some(compare(&id, &ta, &tb)));
        share.set(
            CompareLink {
                scenario: id,
                a: ta,
                b: tb,
            }
            .to_fragment(),
        );
    };
    match link {
        Some(Ok(l)) => {
            scenario.set(l.scenario);
            a.set(l.a);
            b.set(l.b);
            run();
        }
        Some(Err(why)) => result.set(Some(Err(why))),
        None => {}
    }
    let text_input = move |label: &'static str, testid: &'static str, sig: RwSignal<String>| {
        view! {
            <label class="compare__field"><span>{label}</span>
                <input type="text" data-testid=testid prop:value=move || sig.get()
                    on:change=move |ev| sig.set(event_target_value(&ev)) />
            </label>
        }
    };
    view! {
        <section class="compare" aria-labelledby="compare-title" data-testid="compare">
            <h2 id="compare-title" class="compare__title">"Side by side"</h2>
            <p class="compare__intro">"The same scenario, seed, orders and faults under two configurations. Keys: election=raft|bully|lease, election_timeout_min_ms, election_timeout_max_ms, heartbeat_ms, stock_reads=off|primary|replicas, latency_ms, jitter_ms, disk.fsync_us, executors, db_nodes…"</p>
            <div class="compare__settings">
                <label class="compare__field"><span>"scenario"</span>
                    <select data-testid="compare-scenario" on:change=move |ev| scenario.set(event_target_value(&ev))>
                        {ids.into_iter().map(|id| view! {
                            <option value=id selected=move || scenario.get() == id>{id}</option>
                        }).collect_view()}
                    </select>
                </label>
                {text_input("A", "compare-a", a)}
                {text_input("B", "compare-b", b)}
                <button type="button" data-testid="compare-run" on:click=move |_| run()>"Compare"</button>
            </div>
            {move || (!share.get().is_empty()).then(|| view! {
                <p class="compare__link">"Link to this comparison: "
                    <a data-testid="compare-link" href=share.get()>{share.get()}</a></p>
            })}
            {move || match result.get() {
                None => ().into_any(),
                Some(Err(why)) => view! { <p class="compare__error" role="alert">{why}</p> }.into_any(),
                Some(Ok((rows, svg))) => view! {
                    <div class="compare__lanes" data-testid="compare-lanes" inner_html=svg></div>
                    <CompareTable rows=rows a=a.get_untracked() b=b.get_untracked() />
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn CompareTable(rows: Rows, a: String, b: String) -> impl IntoView {
    view! {
        <table class="compare__table" data-testid="compare-table">
            <thead><tr><th></th><th>{format!("A: {a}")}</th><th>{format!("B: {b}")}</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|(name, va, vb)| {
                    let differs = va != vb;
                    view! {
                        <tr class:compare__differs=differs>
                            <th scope="row">{name}</th><td>{va}</td><td>{vb}</td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
