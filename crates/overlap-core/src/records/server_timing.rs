//! What a server says it spent on a response, from its `Server-Timing`
//! header (`queue;dur=12.5, cpu;dur=5.0`): the project's servers name
//! their wait for a free place `queue` and their work `cpu`.

/// The duration of `metric` in ms; `None` when the header does not say it.
pub fn server_timing_ms(header: &str, metric: &str) -> Option<f64> {
    header.split(',').find_map(|entry| {
        let mut parts = entry.split(';').map(str::trim);
        if parts.next()? != metric {
            return None;
        }
        parts
            .find_map(|part| part.strip_prefix("dur=")?.parse::<f64>().ok())
            .filter(|ms| ms.is_finite() && *ms >= 0.0)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_metric_or_nothing() {
        let header = "queue;dur=12.5, cpu;desc=\"work\";dur=5";
        assert_eq!(server_timing_ms(header, "queue"), Some(12.5));
        assert_eq!(server_timing_ms(header, "cpu"), Some(5.0));
        assert_eq!(server_timing_ms(header, "db"), None);
        assert_eq!(server_timing_ms("queue;dur=-1", "queue"), None);
        assert_eq!(server_timing_ms("queue;dur=NaN", "queue"), None);
        assert_eq!(server_timing_ms("", "queue"), None);
    }
}
