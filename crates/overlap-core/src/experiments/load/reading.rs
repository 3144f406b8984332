//! What a load sweep and a Compare show, said from their numbers: where
//! throughput stops rising while latency climbs (the knee), and what the
//! closed and the open model report for the same server.

use crate::experiments::load::chart::SweepPoint;
use crate::lang::{Lang, Said};
use crate::records::units::format_ms;

/// A step's throughput gain below this, with p50 rising past `LATENCY_RISE`,
/// is past the knee.
const FLAT_GAIN: f64 = 1.1;
const LATENCY_RISE: f64 = 1.5;
/// An open test whose p99 is this many times the closed test's reads as
/// the queue the closed test hid.
const HIDDEN_FACTOR: f64 = 2.0;

#[derive(Clone, Debug, PartialEq)]
pub enum SweepReading {
    /// Throughput stopped rising past the step offering `load` while p50
    /// climbed.
    Knee { load: String, capacity_rps: f64, p50_before_ms: f64, p50_after_ms: f64 },
    /// Throughput still rose at the highest load.
    StillRising { highest_rps: f64 },
    /// Fewer than two steps measured.
    TooFew,
}

pub fn read_sweep(points: &[SweepPoint]) -> SweepReading {
    if points.len() < 2 {
        return SweepReading::TooFew;
    }
    let capacity_rps = points.iter().map(|point| point.requests_per_s).fold(0.0, f64::max);
    for pair in points.windows(2) {
        let [before, after] = pair else { continue };
        let gain = after.requests_per_s / before.requests_per_s.max(f64::MIN_POSITIVE);
        if gain < FLAT_GAIN && after.p50_ms > before.p50_ms * LATENCY_RISE {
            return SweepReading::Knee {
                load: before.load.clone(),
                capacity_rps,
                p50_before_ms: before.p50_ms,
                p50_after_ms: after.p50_ms,
            };
        }
    }
    SweepReading::StillRising { highest_rps: capacity_rps }
}

impl SweepReading {
    pub fn said(&self) -> Said {
        match self {
            SweepReading::Knee { load, capacity_rps, p50_before_ms, p50_after_ms } => Said::new(
                format!(
                    "Past {load}, throughput stops rising (about {capacity_rps:.0} requests/s at most) while the \
                     median latency climbs from {} to {}: that is the server's capacity, and more load only \
                     queues.",
                    format_ms(*p50_before_ms),
                    format_ms(*p50_after_ms)
                ),
                format!(
                    "超过 {load} 后，吞吐量不再上升（最多约每秒 {capacity_rps:.0} 个请求），而延迟中位数从 {} 升到 {}：这就是服务器的容量，再加负载只会排队。",
                    format_ms(*p50_before_ms),
                    format_ms(*p50_after_ms)
                ),
            ),
            SweepReading::StillRising { highest_rps } => Said::new(
                format!(
                    "Throughput still rose at the highest load ({highest_rps:.0} requests/s) without the latency \
                     climbing: the server's capacity is further on; sweep from a higher load."
                ),
                format!(
                    "在最高负载下吞吐量仍在上升（每秒 {highest_rps:.0} 个请求），延迟没有明显增长：服务器的容量还在更远处，请从更高的负载开始扫描。"
                ),
            ),
            SweepReading::TooFew => Said::new(
                "One load only: a sweep needs two or more to show a knee.",
                "只有一个负载：扫描至少需要两个负载才能显示拐点。",
            ),
        }
    }
}

/// One run of a Compare, as the reading needs it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelRun {
    pub requests_per_s: f64,
    pub p99_ms: f64,
}

/// What the closed run (`users` of them) and the open run (at `rate`)
/// against the same server say together.
pub fn read_compare(closed: ModelRun, users: u32, open: ModelRun, rate: u32, lang: Lang) -> String {
    let (closed_p99, open_p99) = (format_ms(closed.p99_ms), format_ms(open.p99_ms));
    let closed_rps = closed.requests_per_s;
    let offered_more = f64::from(rate) > closed_rps * 1.05;
    match (offered_more && open.p99_ms > closed.p99_ms * HIDDEN_FACTOR, offered_more, lang) {
        (true, _, Lang::En) => format!(
            "The open test offered {rate} requests/s, more than the {closed_rps:.0}/s the {users} closed users got \
             through, and its p99 is {open_p99} against the closed test's {closed_p99}. The closed users waited \
             for each answer before sending again, so they sent less as the server slowed: their latencies leave \
             out the queue (coordinated omission)."
        ),
        (true, _, Lang::ZhCn) => format!(
            "开放模型每秒发送 {rate} 个请求，多于 {users} 个封闭用户实际完成的每秒 {closed_rps:.0} 个，其 p99 为 {open_p99}，而封闭模型为 {closed_p99}。封闭模型的用户每次都等到响应才发下一个请求，服务器变慢时发得就少了：它的延迟没有算上排队（协调遗漏）。"
        ),
        (false, true, Lang::En) => format!(
            "The open test offered {rate} requests/s, more than the {closed_rps:.0}/s of the {users} closed users, \
             yet its p99 ({open_p99}) is close to the closed test's ({closed_p99}): the server kept up with both. \
             Raise the rate past its capacity to see the queue the closed test hides."
        ),
        (false, true, Lang::ZhCn) => format!(
            "开放模型每秒发送 {rate} 个请求，多于 {users} 个封闭用户的每秒 {closed_rps:.0} 个，但其 p99（{open_p99}）与封闭模型（{closed_p99}）相近：服务器两者都应付得了。把速率提高到超过其容量，就能看到封闭模型掩盖的排队。"
        ),
        (false, false, Lang::En) => format!(
            "The open test offered {rate} requests/s, no more than the {closed_rps:.0}/s the {users} closed users \
             got through, so it never pushed the server harder: p99 {open_p99} against {closed_p99}."
        ),
        (false, false, Lang::ZhCn) => format!(
            "开放模型每秒发送 {rate} 个请求，不多于 {users} 个封闭用户完成的每秒 {closed_rps:.0} 个，所以并没有给服务器更大的压力：p99 为 {open_p99}，封闭模型为 {closed_p99}。"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn point(load: &str, requests_per_s: f64, p50_ms: f64) -> SweepPoint {
        SweepPoint { load: load.to_string(), requests_per_s, p50_ms, p99_ms: p50_ms * 2.0 }
    }

    #[test]
    fn readings_of_fixed_sweeps_and_compares() {
        let knee =
            [point("2 users", 100.0, 10.0), point("4 users", 190.0, 11.0), point("8 users", 200.0, 40.0)];
        let rising = [point("2 users", 100.0, 10.0), point("4 users", 190.0, 11.0)];
        let mut said: Vec<String> = [read_sweep(&knee), read_sweep(&rising), read_sweep(&knee[..1])]
            .iter()
            .flat_map(|reading| {
                [reading.said().get(Lang::En).to_string(), reading.said().get(Lang::ZhCn).to_string()]
            })
            .collect();
        let closed = ModelRun { requests_per_s: 380.0, p99_ms: 270.0 };
        for (open, rate) in [
            (ModelRun { requests_per_s: 390.0, p99_ms: 2_400.0 }, 600),
            (ModelRun { requests_per_s: 395.0, p99_ms: 300.0 }, 420),
            (ModelRun { requests_per_s: 200.0, p99_ms: 12.0 }, 200),
        ] {
            said.push(read_compare(closed, 100, open, rate, Lang::En));
            said.push(read_compare(closed, 100, open, rate, Lang::ZhCn));
        }
        expect![[r#"
            Past 4 users, throughput stops rising (about 200 requests/s at most) while the median latency climbs from 11.0 ms to 40.0 ms: that is the server's capacity, and more load only queues.
            超过 4 users 后，吞吐量不再上升（最多约每秒 200 个请求），而延迟中位数从 11.0 ms 升到 40.0 ms：这就是服务器的容量，再加负载只会排队。
            Throughput still rose at the highest load (190 requests/s) without the latency climbing: the server's capacity is further on; sweep from a higher load.
            在最高负载下吞吐量仍在上升（每秒 190 个请求），延迟没有明显增长：服务器的容量还在更远处，请从更高的负载开始扫描。
            One load only: a sweep needs two or more to show a knee.
            只有一个负载：扫描至少需要两个负载才能显示拐点。
            The open test offered 600 requests/s, more than the 380/s the 100 closed users got through, and its p99 is 2.40 s against the closed test's 270 ms. The closed users waited for each answer before sending again, so they sent less as the server slowed: their latencies leave out the queue (coordinated omission).
            开放模型每秒发送 600 个请求，多于 100 个封闭用户实际完成的每秒 380 个，其 p99 为 2.40 s，而封闭模型为 270 ms。封闭模型的用户每次都等到响应才发下一个请求，服务器变慢时发得就少了：它的延迟没有算上排队（协调遗漏）。
            The open test offered 420 requests/s, more than the 380/s of the 100 closed users, yet its p99 (300 ms) is close to the closed test's (270 ms): the server kept up with both. Raise the rate past its capacity to see the queue the closed test hides.
            开放模型每秒发送 420 个请求，多于 100 个封闭用户的每秒 380 个，但其 p99（300 ms）与封闭模型（270 ms）相近：服务器两者都应付得了。把速率提高到超过其容量，就能看到封闭模型掩盖的排队。
            The open test offered 200 requests/s, no more than the 380/s the 100 closed users got through, so it never pushed the server harder: p99 12.0 ms against 270 ms.
            开放模型每秒发送 200 个请求，不多于 100 个封闭用户完成的每秒 380 个，所以并没有给服务器更大的压力：p99 为 12.0 ms，封闭模型为 270 ms。"#]].assert_eq(&said.join("\n"));
    }
}
