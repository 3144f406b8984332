//! The closed enums that travel in the query string: each has a fixed list
//! of values and one text per value. Reading a text back is the same for
//! all of them, so it is written once, here.

pub trait QueryValue: Copy + PartialEq + 'static {
    /// Every value, in the order the page lists them.
    fn all() -> &'static [Self];

    /// The value's text in the address.
    fn text(self) -> &'static str;

    fn from_text(text: &str) -> Option<Self> {
        Self::all().iter().copied().find(|value| value.text() == text)
    }

    /// "one of `a`, `b`": what a bad value is told it must be.
    fn one_of() -> String {
        let quoted: Vec<String> = Self::all().iter().map(|value| format!("`{}`", value.text())).collect();
        format!("one of {}", quoted.join(", "))
    }
}

/// Implements `QueryValue` from a type's own `ALL` and `query_value`.
macro_rules! query_value_from_inherent {
    ($($name:ty),* $(,)?) => {
        $(impl $crate::query_value::QueryValue for $name {
            fn all() -> &'static [Self] {
                <$name>::ALL
            }

            fn text(self) -> &'static str {
                <$name>::query_value(self)
            }
        })*
    };
}

query_value_from_inherent!(
    crate::cpu_mode::CpuMode,
    crate::cpu_workload::Workload,
    crate::fetch_model::FetchMode,
    crate::fetch_model::FetchTarget,
    crate::page_state::Experiment,
    crate::page_state::Recording,
    crate::page_state::ResultOrder,
    crate::page_state::ServedBy,
    crate::timeline_fixtures::Fixture,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cpu_mode::CpuMode;
    use crate::fetch_model::FetchTarget;

    #[test]
    fn texts_read_back_to_their_values() {
        for mode in CpuMode::all() {
            assert_eq!(CpuMode::from_text(mode.text()), Some(*mode));
        }
        assert_eq!(FetchTarget::from_text("ftp"), None);
        assert_eq!(FetchTarget::one_of(), "one of `server`, `sw`, `preset`, `urls`");
    }
}
