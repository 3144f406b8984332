//! What each program prints, as CPython prints it, and its coroutines: the
//! lines a run's printing is checked against, and the lanes it is drawn on.

use crate::experiments::asyncio::params::Scenario;

/// The ticker's ticks in `Blocking` and `Cooperative`, one a unit.
pub const TICKS: u32 = 10;
/// When the computation starts, in units: between two ticks.
pub const COMPUTE_FROM_UNITS: f64 = 1.5;
/// How long it computes, in units.
pub const COMPUTE_UNITS: u32 = 5;
/// A cooperative slice, in units: it awaits this often.
pub const SLICE_UNITS: f64 = 0.1;
/// `wait_for`'s timeout, in units.
pub const TIMEOUT_UNITS: u32 = 2;
/// When main cancels worker_3 in `Gather`, in units.
pub const CANCEL_AT_UNITS: u32 = 2;

/// How one of the notes' workers ended, as `gather(return_exceptions=True)`
/// returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Returned its number (worker_1 returns 1).
    Returned,
    /// Raised `ZeroDivisionError` (worker_2's `2 / 0`).
    Raised,
    Cancelled,
}

/// One line a program prints. Equal lines are the same print, whatever
/// the clock said (a tick's lateness is a measurement, not the line).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Line {
    /// `crawling url_<n>`
    Crawling(u32),
    /// `OK url_<n>`
    Ok(u32),
    /// `cancelled url_<n>`: the crawl's `except CancelledError`.
    Cancelled(u32),
    /// `timeout url_<n>`: main's `except TimeoutError`.
    TimedOut(u32),
    /// `print(res)` after `gather(…, return_exceptions=True)`.
    Gathered([Ending; 3]),
    /// `tick <i>: <late> ms late`
    Tick { tick: u32, late_ms: f64 },
    /// `computed`
    Computed,
}

impl Line {
    /// The line as Python prints it.
    pub fn text(&self) -> String {
        match self {
            Line::Crawling(url) => format!("crawling url_{url}"),
            Line::Ok(url) => format!("OK url_{url}"),
            Line::Cancelled(url) => format!("cancelled url_{url}"),
            Line::TimedOut(url) => format!("timeout url_{url}"),
            Line::Gathered(endings) => {
                let values: Vec<String> = endings
                    .iter()
                    .enumerate()
                    .map(|(index, ending)| match ending {
                        Ending::Returned => (index + 1).to_string(),
                        Ending::Raised => "ZeroDivisionError('division by zero')".to_string(),
                        // CPython 3.11 (this machine's) prints the empty message of a task
                        // cancelled without one.
                        Ending::Cancelled => "CancelledError('')".to_string(),
                    })
                    .collect();
                format!("[{}]", values.join(", "))
            }
            Line::Tick { tick, late_ms } => format!("tick {tick}: {late_ms:.0} ms late"),
            Line::Computed => "computed".to_string(),
        }
    }

    /// The line without what the clock decides: what is compared with
    /// CPython's output.
    pub fn shape(&self) -> Line {
        match *self {
            Line::Tick { tick, .. } => Line::Tick { tick, late_ms: 0.0 },
            line => line,
        }
    }

    /// The same, read from a printed line: its text before the first `:`.
    pub fn shape_of_text(text: &str) -> &str {
        text.split(':').next().unwrap_or(text)
    }
}

/// The urls of the crawler programs: `url_<n>` waits n units.
pub fn urls(scenario: Scenario) -> &'static [u32] {
    match scenario {
        Scenario::Sequential | Scenario::Tasks => &[1, 2, 3, 4],
        Scenario::WaitFor => &[1, 4],
        Scenario::Gather | Scenario::Blocking | Scenario::Cooperative => &[],
    }
}

/// The coroutines, in lane order: `main` first.
pub fn coroutines(scenario: Scenario) -> Vec<String> {
    let mut names = vec!["main()".to_string()];
    match scenario {
        Scenario::Sequential | Scenario::Tasks | Scenario::WaitFor => {
            names.extend(urls(scenario).iter().map(|url| format!("crawl_page('url_{url}')")))
        }
        Scenario::Gather => names.extend((1..=3).map(|worker| format!("worker_{worker}()"))),
        Scenario::Blocking | Scenario::Cooperative => {
            names.push(format!("ticker({TICKS})"));
            names.push(format!("compute({COMPUTE_UNITS})"));
        }
    }
    names
}

/// What CPython prints for the scenario's program, line by line, in order
/// (ticks with no lateness: see `Line::shape`).
pub fn expected_lines(scenario: Scenario) -> Vec<Line> {
    let tick = |tick| Line::Tick { tick, late_ms: 0.0 };
    match scenario {
        Scenario::Sequential => {
            urls(scenario).iter().flat_map(|url| [Line::Crawling(*url), Line::Ok(*url)]).collect()
        }
        Scenario::Tasks => {
            let urls = urls(scenario);
            urls.iter().map(|url| Line::Crawling(*url)).chain(urls.iter().map(|url| Line::Ok(*url))).collect()
        }
        Scenario::Gather => vec![Line::Gathered([Ending::Returned, Ending::Raised, Ending::Cancelled])],
        Scenario::WaitFor => {
            vec![Line::Crawling(1), Line::Ok(1), Line::Crawling(4), Line::Cancelled(4), Line::TimedOut(4)]
        }
        Scenario::Blocking => {
            // Tick 2 falls due while compute holds the loop: it and every
            // later tick due meanwhile come after `computed`.
            let mut lines = vec![tick(1), Line::Computed];
            lines.extend((2..=TICKS).map(tick));
            lines
        }
        Scenario::Cooperative => {
            // Computing ends between ticks 6 and 7 (1.5 + 5 units).
            let last_before = (COMPUTE_FROM_UNITS + f64::from(COMPUTE_UNITS)).floor() as u32;
            let mut lines: Vec<Line> = (1..=last_before).map(tick).collect();
            lines.push(Line::Computed);
            lines.extend((last_before + 1..=TICKS).map(tick));
            lines
        }
    }
}

/// Whether `printed` is exactly the program's lines in CPython's order.
pub fn printed_as_python(scenario: Scenario, printed: &[Line]) -> bool {
    let shapes: Vec<Line> = printed.iter().map(Line::shape).collect();
    shapes == expected_lines(scenario)
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    #[test]
    fn lines_read_as_python_prints_them() {
        let texts: Vec<String> = expected_lines(Scenario::WaitFor).iter().map(Line::text).collect();
        assert_eq!(
            texts,
            ["crawling url_1", "OK url_1", "crawling url_4", "cancelled url_4", "timeout url_4"]
        );
        assert_eq!(
            expected_lines(Scenario::Gather)[0].text(),
            "[1, ZeroDivisionError('division by zero'), CancelledError('')]"
        );
        assert_eq!(Line::Tick { tick: 3, late_ms: 12.4 }.text(), "tick 3: 12 ms late");
        assert_eq!(Line::shape_of_text("tick 3: 12 ms late"), "tick 3");
        let cooperative: Vec<String> = expected_lines(Scenario::Cooperative).iter().map(Line::text).collect();
        assert_eq!(cooperative[5..8], ["tick 6: 0 ms late", "computed", "tick 7: 0 ms late"]);
    }

    #[test]
    fn a_tick_is_the_same_line_however_late() {
        let mut printed = expected_lines(Scenario::Blocking);
        printed[2] = Line::Tick { tick: 2, late_ms: 480.0 };
        assert!(printed_as_python(Scenario::Blocking, &printed));
        printed.swap(0, 1);
        assert!(!printed_as_python(Scenario::Blocking, &printed));
        assert!(!printed_as_python(Scenario::Tasks, &expected_lines(Scenario::Sequential)));
    }

    #[test]
    fn every_scenario_has_main_first_and_lines() {
        for scenario in Scenario::VARIANTS {
            assert_eq!(coroutines(*scenario)[0], "main()");
            assert!(!expected_lines(*scenario).is_empty());
        }
    }
}
