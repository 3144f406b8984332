//! Links to every experiment; each is a plain address the codec wrote, so a
//! link can be copied into a tutorial as it is.

use leptos::prelude::*;
use overlap_core::cpu_workload::Workload;
use overlap_core::page_state::{CpuParams, Experiment, PageState, encode};

#[component]
pub fn ExperimentNav(current: PageState) -> impl IntoView {
    let home = PageState::default();
    let mut links = vec![(encode(&home), "Home".to_string(), current.experiment == Experiment::Home)];
    for &workload in Workload::ALL {
        let state = PageState {
            experiment: Experiment::Cpu,
            cpu: CpuParams { workload, mode: current.cpu.mode, ..CpuParams::default() },
            ..PageState::default()
        };
        let is_current = current.experiment == Experiment::Cpu && current.cpu.workload == workload;
        links.push((encode(&state), format!("CPU: {}", workload.title()), is_current));
    }
    let fetch = PageState { experiment: Experiment::Fetch, ..PageState::default() };
    links.push((encode(&fetch), "I/O: many requests".to_string(), current.experiment == Experiment::Fetch));
    view! {
        <nav class="experiments" aria-label="Experiments">
            <ul>
                {links
                    .into_iter()
                    .map(|(href, label, is_current)| {
                        view! {
                            <li>
                                <a href=href aria-current=is_current.then_some("page")>
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}
