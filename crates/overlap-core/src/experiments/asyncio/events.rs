//! What the event loop's worker records, how it crosses to the page (plain
//! numbers, six per event), and a run's spans and figures from it.

use crate::experiments::asyncio::params::Scenario;
use crate::experiments::asyncio::script::{Ending, Line, printed_as_python};
use crate::lang::Said;
use crate::records::results::Figure;
use crate::records::span::{Span, SpanState};

/// The states a coroutine's lane shows.
const LANE_STATES: [SpanState; 5] = [
    SpanState::Running,
    SpanState::Awaiting,
    SpanState::ReadyForLoop,
    SpanState::Cancelled,
    SpanState::Failed,
];

/// One thing the loop recorded, on the worker's clock.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LoopEvent {
    /// A coroutine (lane: its place in `script::coroutines`) was in `state`.
    Span { lane: u32, state: SpanState, start_ms: f64, end_ms: f64 },
    /// A coroutine printed `line`.
    Print { lane: u32, at_ms: f64, line: Line },
}

const NUMBERS_PER_EVENT: usize = 6;

#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WireError {
    #[error("the loop's record has {0} numbers, not a whole number of events")]
    Length(usize),
    #[error("the loop's record has an event this page does not know (number {0})")]
    Unknown(usize),
}

impl WireError {
    pub fn said(&self) -> Said {
        match self {
            WireError::Length(count) => {
                Said::new(self.to_string(), format!("事件循环的记录有 {count} 个数，不是整数个事件"))
            }
            WireError::Unknown(index) => {
                Said::new(self.to_string(), format!("事件循环的记录中有本页不认识的事件（第 {index} 个数）"))
            }
        }
    }
}

fn ending_code(ending: Ending) -> u32 {
    match ending {
        Ending::Returned => 0,
        Ending::Raised => 1,
        Ending::Cancelled => 2,
    }
}

fn ending_of(code: u32) -> Option<Ending> {
    [Ending::Returned, Ending::Raised, Ending::Cancelled].get(code as usize).copied()
}

/// The events as numbers: kind, lane, two times, two codes each.
pub fn encode_events(events: &[LoopEvent]) -> Vec<f64> {
    let mut numbers = Vec::with_capacity(events.len() * NUMBERS_PER_EVENT);
    for event in events {
        let six: [f64; NUMBERS_PER_EVENT] = match *event {
            LoopEvent::Span { lane, state, start_ms, end_ms } => {
                let state_code = LANE_STATES.iter().position(|known| *known == state).unwrap_or(0);
                [0.0, lane.into(), start_ms, end_ms, state_code as f64, 0.0]
            }
            LoopEvent::Print { lane, at_ms, line } => {
                let (code, argument, late_ms) = match line {
                    Line::Crawling(url) => (0, url, 0.0),
                    Line::Ok(url) => (1, url, 0.0),
                    Line::Cancelled(url) => (2, url, 0.0),
                    Line::TimedOut(url) => (3, url, 0.0),
                    Line::Gathered(endings) => {
                        (4, endings.iter().fold(0, |packed, ending| packed * 3 + ending_code(*ending)), 0.0)
                    }
                    Line::Tick { tick, late_ms } => (5, tick, late_ms),
                    Line::Computed => (6, 0, 0.0),
                };
                [1.0, lane.into(), at_ms, late_ms, f64::from(code), f64::from(argument)]
            }
        };
        numbers.extend(six);
    }
    numbers
}

/// The events back from their numbers.
pub fn decode_events(numbers: &[f64]) -> Result<Vec<LoopEvent>, WireError> {
    if !numbers.len().is_multiple_of(NUMBERS_PER_EVENT) {
        return Err(WireError::Length(numbers.len()));
    }
    numbers
        .chunks_exact(NUMBERS_PER_EVENT)
        .enumerate()
        .map(|(index, six)| {
            let unknown = || WireError::Unknown(index * NUMBERS_PER_EVENT);
            let whole = |number: f64| {
                (number >= 0.0 && number.fract() == 0.0 && number <= f64::from(u32::MAX))
                    .then_some(number as u32)
                    .ok_or_else(unknown)
            };
            let lane = whole(six[1])?;
            match whole(six[0])? {
                0 => {
                    let state = *LANE_STATES.get(whole(six[4])? as usize).ok_or_else(unknown)?;
                    Ok(LoopEvent::Span { lane, state, start_ms: six[2], end_ms: six[3] })
                }
                1 => {
                    let argument = whole(six[5])?;
                    let line = match whole(six[4])? {
                        0 => Line::Crawling(argument),
                        1 => Line::Ok(argument),
                        2 => Line::Cancelled(argument),
                        3 => Line::TimedOut(argument),
                        4 => {
                            let ending =
                                |place: u32| ending_of(argument / 3u32.pow(place) % 3).ok_or_else(unknown);
                            if argument >= 27 {
                                return Err(unknown());
                            }
                            Line::Gathered([ending(2)?, ending(1)?, ending(0)?])
                        }
                        5 => Line::Tick { tick: argument, late_ms: six[3] },
                        6 => Line::Computed,
                        _ => return Err(unknown()),
                    };
                    Ok(LoopEvent::Print { lane, at_ms: six[2], line })
                }
                _ => Err(unknown()),
            }
        })
        .collect()
}

/// One printed line, at its time from the run's start.
#[derive(Clone, Debug, PartialEq)]
pub struct Printed {
    pub at_ms: f64,
    pub lane: u32,
    pub line: Line,
}

/// A run's record on its own clock: 0 is main's start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoopRecord {
    pub spans: Vec<Span>,
    pub printed: Vec<Printed>,
}

impl LoopRecord {
    pub fn from_events(events: &[LoopEvent]) -> LoopRecord {
        let origin_ms = events
            .iter()
            .filter_map(|event| match event {
                LoopEvent::Span { lane: 0, start_ms, .. } => Some(*start_ms),
                _ => None,
            })
            .reduce(f64::min)
            .unwrap_or(0.0);
        let mut record = LoopRecord::default();
        for event in events {
            match *event {
                LoopEvent::Span { lane, state, start_ms, end_ms } => record.spans.push(Span {
                    task: Some(lane),
                    lane: Some(lane),
                    state,
                    start_ms: start_ms - origin_ms,
                    end_ms: end_ms.max(start_ms) - origin_ms,
                }),
                LoopEvent::Print { lane, at_ms, line } => {
                    record.printed.push(Printed { at_ms: at_ms - origin_ms, lane, line })
                }
            }
        }
        record.spans.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        record
    }

    /// When `lane` first started and last ended, if it ran.
    fn lifetime_ms(&self, lane: u32) -> Option<(f64, f64)> {
        let on_lane = self.spans.iter().filter(|span| span.lane == Some(lane));
        let start_ms = on_lane.clone().map(|span| span.start_ms).reduce(f64::min)?;
        let end_ms = on_lane.map(|span| span.end_ms).reduce(f64::max)?;
        Some((start_ms, end_ms))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AsyncioFigures {
    /// main's start to its end.
    pub total_ms: f64,
    /// Every other coroutine's life (first start to last end), added up:
    /// what the program would take if they ran one after another.
    pub sum_ms: f64,
    /// The longest of them.
    pub longest_ms: f64,
    /// The latest a tick came after it was due (the ticker's scenarios).
    pub late_tick_max_ms: Option<f64>,
    pub printed_as_python: bool,
    pub printed: Vec<String>,
}

impl AsyncioFigures {
    pub fn results(&self) -> Vec<(&'static str, Figure)> {
        vec![
            ("total_ms", self.total_ms.into()),
            ("sum_ms", self.sum_ms.into()),
            ("longest_ms", self.longest_ms.into()),
            ("late_tick_max_ms", self.late_tick_max_ms.into()),
            ("printed_as_python", Figure::Bool(self.printed_as_python)),
            ("printed", Figure::List(self.printed.iter().cloned().map(Figure::Text).collect())),
        ]
    }
}

pub fn asyncio_figures(scenario: Scenario, lanes: u32, record: &LoopRecord) -> AsyncioFigures {
    let total_ms = record.lifetime_ms(0).map_or(0.0, |(start_ms, end_ms)| end_ms - start_ms);
    let lives: Vec<f64> = (1..lanes)
        .filter_map(|lane| record.lifetime_ms(lane))
        .map(|(start_ms, end_ms)| end_ms - start_ms)
        .collect();
    let late_tick_max_ms = record
        .printed
        .iter()
        .filter_map(|printed| match printed.line {
            Line::Tick { late_ms, .. } => Some(late_ms),
            _ => None,
        })
        .reduce(f64::max);
    let lines: Vec<Line> = record.printed.iter().map(|printed| printed.line).collect();
    AsyncioFigures {
        total_ms,
        sum_ms: lives.iter().sum(),
        longest_ms: lives.iter().copied().reduce(f64::max).unwrap_or(0.0),
        late_tick_max_ms,
        printed_as_python: printed_as_python(scenario, &lines),
        printed: lines.iter().map(Line::text).collect(),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::experiments::asyncio::script::expected_lines;

    fn span(lane: u32, state: SpanState, start_ms: f64, end_ms: f64) -> LoopEvent {
        LoopEvent::Span { lane, state, start_ms, end_ms }
    }

    #[test]
    fn the_tasks_scenario_adds_up_to_its_longest() {
        let mut events =
            vec![span(0, SpanState::Running, 1000.0, 1000.5), span(0, SpanState::Awaiting, 1000.5, 1401.0)];
        for url in 1..=4u32 {
            let start = 1000.5 + f64::from(url) * 0.1;
            let end = 1000.0 + f64::from(url) * 100.0;
            events.push(span(url, SpanState::Running, start, start + 0.1));
            events.push(span(url, SpanState::Awaiting, start + 0.1, end));
            events.push(span(url, SpanState::Running, end, end + 0.2));
        }
        for (index, line) in expected_lines(Scenario::Tasks).into_iter().enumerate() {
            events.push(LoopEvent::Print { lane: 1, at_ms: 1000.0 + index as f64, line });
        }
        let record = LoopRecord::from_events(&decode_events(&encode_events(&events)).unwrap_or_default());
        let figures = asyncio_figures(Scenario::Tasks, 5, &record);
        assert_eq!(figures.total_ms, 401.0);
        // url_4: from 1000.9 to its last poll's end at 1400.2.
        assert!((figures.longest_ms - 399.3).abs() < 1e-9, "{}", figures.longest_ms);
        assert!(figures.sum_ms > 2.4 * figures.total_ms);
        assert!(figures.printed_as_python);
        assert_eq!(figures.late_tick_max_ms, None);
        assert_eq!(record.printed[0].at_ms, 0.0);
        assert_eq!(figures.printed[4], "OK url_1");
    }

    #[test]
    fn bad_numbers_are_refused_with_words() {
        assert_eq!(decode_events(&[0.0; 5]), Err(WireError::Length(5)));
        assert_eq!(decode_events(&[2.0, 0.0, 0.0, 0.0, 0.0, 0.0]), Err(WireError::Unknown(0)));
        assert_eq!(decode_events(&[0.0, 0.0, 0.0, 0.0, 9.0, 0.0]), Err(WireError::Unknown(0)));
        assert_eq!(decode_events(&[1.0, 0.0, 0.0, 0.0, 4.0, 27.0]), Err(WireError::Unknown(0)));
        assert!(WireError::Length(5).said().get(crate::lang::Lang::ZhCn).contains("5"));
    }

    fn any_line() -> impl Strategy<Value = Line> {
        let ending = prop_oneof![Just(Ending::Returned), Just(Ending::Raised), Just(Ending::Cancelled)];
        prop_oneof![
            (1..5u32).prop_map(Line::Crawling),
            (1..5u32).prop_map(Line::Ok),
            (1..5u32).prop_map(Line::Cancelled),
            (1..5u32).prop_map(Line::TimedOut),
            [ending.clone(), ending.clone(), ending].prop_map(Line::Gathered),
            (1..11u32, 0.0..1e4f64).prop_map(|(tick, late_ms)| Line::Tick { tick, late_ms }),
            Just(Line::Computed),
        ]
    }

    fn any_event() -> impl Strategy<Value = LoopEvent> {
        prop_oneof![
            (0..4u32, 0..LANE_STATES.len(), 0.0..1e6f64, 0.0..1e3f64).prop_map(
                |(lane, state, start_ms, length_ms)| {
                    LoopEvent::Span {
                        lane,
                        state: LANE_STATES[state],
                        start_ms,
                        end_ms: start_ms + length_ms,
                    }
                }
            ),
            (0..4u32, 0.0..1e6f64, any_line()).prop_map(|(lane, at_ms, line)| LoopEvent::Print {
                lane,
                at_ms,
                line
            }),
        ]
    }

    proptest! {
        /// Whatever the loop records reaches the page unchanged.
        #[test]
        fn events_cross_unchanged(events in prop::collection::vec(any_event(), 0..40)) {
            prop_assert_eq!(decode_events(&encode_events(&events)), Ok(events));
        }

        /// Any numbers at all are read or refused, never a panic.
        #[test]
        fn any_numbers_are_read_or_refused(numbers in prop::collection::vec(any::<f64>(), 0..30)) {
            let _ = decode_events(&numbers);
        }
    }
}
