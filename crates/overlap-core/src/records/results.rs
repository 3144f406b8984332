//! "Download results": every experiment page saves its runs as one JSON
//! file of the same shape (the README documents it):
//!
//! `{"overlap": 1, "address": "?exp=…", "experiment": "cpu", "lang": "en",
//!   "runs": [{"title": "…", "params": {…}, "complete": true, "figures": {…}}]}`
//!
//! Each experiment names its own figures; their values are plain data.

use crate::lang::Lang;
use crate::records::json::{json_number, json_string};

/// The version of this file's shape.
pub const RESULTS_VERSION: u32 = 1;

/// One figure's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Figure {
    Number(f64),
    Text(String),
    Bool(bool),
    List(Vec<Figure>),
    /// Named values (counts per class, per status code).
    Object(Vec<(String, Figure)>),
    /// Not measured in this run (no baseline yet, not finished): `null`.
    Missing,
}

impl Figure {
    fn json(&self) -> String {
        match self {
            Figure::Number(number) => json_number(*number),
            Figure::Text(text) => json_string(text),
            Figure::Bool(value) => value.to_string(),
            Figure::List(items) => {
                format!("[{}]", items.iter().map(Figure::json).collect::<Vec<_>>().join(", "))
            }
            Figure::Object(entries) => {
                object(entries.iter().map(|(name, figure)| (name.as_str(), figure.json())))
            }
            Figure::Missing => "null".to_string(),
        }
    }
}

impl From<f64> for Figure {
    fn from(number: f64) -> Self {
        Figure::Number(number)
    }
}

impl From<Option<f64>> for Figure {
    fn from(number: Option<f64>) -> Self {
        number.map_or(Figure::Missing, Figure::Number)
    }
}

impl From<usize> for Figure {
    fn from(count: usize) -> Self {
        Figure::Number(count as f64)
    }
}

impl From<bool> for Figure {
    fn from(value: bool) -> Self {
        Figure::Bool(value)
    }
}

impl From<String> for Figure {
    fn from(text: String) -> Self {
        Figure::Text(text)
    }
}

/// One run as the file records it.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsRun {
    pub title: String,
    /// The run's parameters as the address writes them.
    pub params: Vec<(&'static str, String)>,
    /// It ran every task or request (not cancelled, not failed, not still running).
    pub complete: bool,
    pub figures: Vec<(&'static str, Figure)>,
}

/// The whole file.
#[derive(Clone, Debug, PartialEq)]
pub struct ResultsFile {
    /// The page's query string, with its `?`.
    pub address: String,
    pub experiment: &'static str,
    pub lang: Lang,
    pub runs: Vec<ResultsRun>,
}

/// The file's text.
pub fn results_json(file: &ResultsFile) -> String {
    let runs: Vec<String> = file
        .runs
        .iter()
        .map(|run| {
            // Parameters are address text; whole numbers are written as numbers.
            let params = object(run.params.iter().map(|(key, value)| {
                let is_number =
                    !value.is_empty() && value.len() < 16 && value.bytes().all(|b| b.is_ascii_digit());
                (*key, if is_number { value.clone() } else { json_string(value) })
            }));
            let figures = object(run.figures.iter().map(|(name, figure)| (*name, figure.json())));
            format!(
                "    {{\"title\": {}, \"params\": {params}, \"complete\": {}, \"figures\": {figures}}}",
                json_string(&run.title),
                run.complete
            )
        })
        .collect();
    format!(
        "{{\"overlap\": {RESULTS_VERSION}, \"address\": {}, \"experiment\": {}, \"lang\": {}, \"runs\": [\n{}\n]}}\n",
        json_string(&file.address),
        json_string(file.experiment),
        json_string(file.lang.tag()),
        runs.join(",\n")
    )
}

fn object<'a>(entries: impl Iterator<Item = (&'a str, String)>) -> String {
    let entries: Vec<String> =
        entries.map(|(name, value)| format!("{}: {value}", json_string(name))).collect();
    format!("{{{}}}", entries.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    #[test]
    fn writes_the_documented_shape() {
        let file = ResultsFile {
            address: "?exp=cpu&workload=sum&mode=threads&lang=zh-CN".to_string(),
            experiment: "cpu",
            lang: Lang::ZhCn,
            runs: vec![
                ResultsRun {
                    title: "1. 顺序执行 \"quoted\"".to_string(),
                    params: vec![("workload", "sum".to_string()), ("workers", "2".to_string())],
                    complete: true,
                    figures: vec![
                        ("makespan_ms", Figure::Number(112.5)),
                        ("speedup", Figure::Missing),
                        ("matches_sequential", Figure::Bool(true)),
                        ("sums", Figure::List(vec![Figure::Text("333333283333335000000".to_string())])),
                        ("ratio", Figure::Number(f64::NAN)),
                        ("status", Figure::Object(vec![("200".to_string(), Figure::from(3usize))])),
                    ],
                },
                ResultsRun { title: "2".to_string(), params: vec![], complete: false, figures: vec![] },
            ],
        };
        expect![[r#"
            {"overlap": 1, "address": "?exp=cpu&workload=sum&mode=threads&lang=zh-CN", "experiment": "cpu", "lang": "zh-CN", "runs": [
                {"title": "1. 顺序执行 \"quoted\"", "params": {"workload": "sum", "workers": 2}, "complete": true, "figures": {"makespan_ms": 112.5, "speedup": null, "matches_sequential": true, "sums": ["333333283333335000000"], "ratio": null, "status": {"200": 3}}},
                {"title": "2", "params": {}, "complete": false, "figures": {}}
            ]}
        "#]]
        .assert_eq(&results_json(&file));
    }
}
