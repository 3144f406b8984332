//! The CPU experiments' workloads: what each one computes, its parameters and
//! their bounds, the list of tasks a run is made of, and the check that every
//! mode computed the same answer.

use std::ops::{Range, RangeInclusive};

use strum::{IntoStaticStr, VariantArray};

use crate::lang::{Lang, Words};
use crate::workloads::kernels::{blur, mandelbrot, primes, sum_of_squares};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum Workload {
    #[default]
    #[strum(serialize = "sum")]
    SumOfSquares,
    #[strum(serialize = "primes")]
    Primes,
    #[strum(serialize = "blur")]
    Blur,
    #[strum(serialize = "mandelbrot")]
    Mandelbrot,
}

/// What a CPU run records of itself. Recording costs a little: the
/// difference between the two is what watching the run costs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, VariantArray, IntoStaticStr)]
pub enum Recording {
    /// Every task's span: when it waited, took the lock, ran.
    #[default]
    #[strum(serialize = "tasks")]
    EveryTask,
    /// Only when each lane started its first task and ended its last.
    #[strum(serialize = "lanes")]
    LanesOnly,
}

impl Recording {
    pub fn title(self) -> Words {
        match self {
            Recording::EveryTask => Words::new("Every task", "每个任务"),
            Recording::LanesOnly => Words::new("Lanes only", "仅泳道"),
        }
    }
}

/// The bounds and defaults of a workload's two parameters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkloadBounds {
    /// What `size` means, or `None` when the workload has no size.
    pub size_meaning: Option<Words>,
    pub size: RangeInclusive<u32>,
    pub default_size: u32,
    pub tasks: RangeInclusive<u32>,
    pub default_tasks: u32,
}

impl Workload {
    pub fn title(self) -> Words {
        match self {
            Workload::SumOfSquares => Words::new("Sum of squares", "平方和"),
            Workload::Primes => Words::new("Prime check", "素数判断"),
            Workload::Blur => Words::new("Image blur", "图像模糊"),
            Workload::Mandelbrot => Words::new("Mandelbrot", "曼德博集合"),
        }
    }

    pub fn bounds(self) -> WorkloadBounds {
        match self {
            Workload::SumOfSquares => WorkloadBounds {
                size_meaning: Some(Words::new(
                    "n of the first task: task x sums the squares below n + x",
                    "第一个任务的 n：任务 x 计算小于 n + x 的所有数的平方和",
                )),
                size: 1_000..=100_000_000,
                default_size: 10_000_000,
                tasks: 1..=64,
                default_tasks: 20,
            },
            Workload::Primes => WorkloadBounds {
                size_meaning: None,
                size: 0..=0,
                default_size: 0,
                tasks: 1..=60,
                default_tasks: primes::PRIMES.len() as u32,
            },
            // Both make a square picture in bands of rows.
            Workload::Blur | Workload::Mandelbrot => WorkloadBounds {
                size_meaning: Some(Words::new(
                    "width and height of the picture in pixels; tasks are bands of rows",
                    "图片的宽和高（像素）；每个任务是若干行组成的一条带",
                )),
                size: 64..=2048,
                default_size: 1024,
                tasks: 1..=64,
                default_tasks: 16,
            },
        }
    }

    /// What the workload computes and why it is in the playground.
    pub fn description(self) -> Words {
        match self {
            Workload::SumOfSquares => Words::new(
                "The notes' `sum(i * i for i in range(n))` for n = 10,000,000 + x, x = 0..20: twenty CPU-bound \
                 tasks of almost equal size, nothing to wait for, nothing shared.",
                "笔记中的 `sum(i * i for i in range(n))`，n = 10,000,000 + x，x = 0..20：二十个大小几乎相同的 CPU 密集型任务，没有等待，也没有共享。",
            ),
            Workload::Primes => Words::new(
                "Trial division over the numbers of the concurrent.futures documentation's example. Five are \
                 prime; the last is found composite after a third of the work, so the tasks are unequal and k \
                 workers cannot reach k times the speed: the ceiling below says how close they can get.",
                "对 concurrent.futures 文档示例中的数做试除法。其中五个是素数；最后一个在完成三分之一的计算后就被判定为合数，所以任务大小不均，k 个工作线程达不到 k 倍速度：下面的理论上限给出它们最多能接近多少。",
            ),
            Workload::Blur => Words::new(
                "The notes' thumbnail job as a Gaussian blur of one generated picture, cut into bands of rows. \
                 Each task produces a band of pixels, which isolated workers must send back in a message.",
                "笔记中的缩略图任务，这里是对一张生成的图片做高斯模糊，按行切成若干条带。每个任务产出一条像素带，隔离工作者必须通过消息把它传回。",
            ),
            Workload::Mandelbrot => Words::new(
                "The Mandelbrot set in bands of rows, the workload of wasm-bindgen-rayon's own demo. Bands \
                 through the set's middle take far longer than bands at the edges.",
                "按行分带计算曼德博集合，也是 wasm-bindgen-rayon 自带演示的任务。穿过集合中部的条带比边缘的条带耗时长得多。",
            ),
        }
    }

    /// The function name the notes' Python gives this work.
    pub fn python_function(self) -> &'static str {
        match self {
            Workload::SumOfSquares => "cpu_bound",
            Workload::Primes => "is_prime",
            Workload::Blur => "blur_band",
            Workload::Mandelbrot => "render_band",
        }
    }

    /// Whether results are pictures (shown on the page) rather than numbers.
    pub fn makes_picture(self) -> bool {
        matches!(self, Workload::Blur | Workload::Mandelbrot)
    }
}

/// One task's input: plain data that crosses to any worker, shared-memory or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskInput {
    SumOfSquares {
        n: u64,
    },
    Prime {
        n: u64,
    },
    /// Blur rows `first_row..first_row + rows` of the generated `size`² picture.
    BlurBand {
        size: u32,
        first_row: u32,
        rows: u32,
    },
    /// Render rows `first_row..first_row + rows` of the `size`² view.
    MandelbrotBand {
        size: u32,
        first_row: u32,
        rows: u32,
    },
}

/// One task's result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaskOutput {
    /// The exact sum, as Python's integers give it.
    Sum(u128),
    Prime(bool),
    Pixels(Vec<u8>),
}

/// The tasks of a run, in submission order. `size` and `tasks` are clamped
/// to the workload's bounds (the page state has already rejected values
/// outside them).
pub fn task_inputs(workload: Workload, size: u32, tasks: u32) -> Vec<TaskInput> {
    let bounds = workload.bounds();
    let size = size.clamp(*bounds.size.start(), *bounds.size.end());
    let tasks = tasks.clamp(*bounds.tasks.start(), *bounds.tasks.end());
    match workload {
        Workload::SumOfSquares => {
            (0..tasks).map(|x| TaskInput::SumOfSquares { n: u64::from(size + x) }).collect()
        }
        Workload::Primes => (0..tasks as usize)
            .map(|index| TaskInput::Prime { n: primes::PRIMES[index % primes::PRIMES.len()] })
            .collect(),
        Workload::Blur => bands(size, tasks)
            .map(|rows| TaskInput::BlurBand { size, first_row: rows.start, rows: rows.len() as u32 })
            .collect(),
        Workload::Mandelbrot => bands(size, tasks)
            .map(|rows| TaskInput::MandelbrotBand { size, first_row: rows.start, rows: rows.len() as u32 })
            .collect(),
    }
}

/// `count` bands of rows covering `0..height`, as equal as whole rows allow
/// (never more bands than rows).
fn bands(height: u32, count: u32) -> impl Iterator<Item = Range<u32>> {
    let count = count.min(height).max(1);
    (0..count).map(move |index| (index * height / count)..((index + 1) * height / count))
}

/// Runs one task: the work itself, the same in every mode.
pub fn run_task(input: &TaskInput) -> TaskOutput {
    match *input {
        TaskInput::SumOfSquares { n } => TaskOutput::Sum(sum_of_squares::sum_of_squares(n)),
        TaskInput::Prime { n } => TaskOutput::Prime(primes::is_prime(n)),
        TaskInput::BlurBand { size, first_row, rows } => {
            let size = size as usize;
            let band = first_row as usize..(first_row + rows) as usize;
            let source_rows = blur::source_rows_for(&band, size);
            let source = blur::source_image_rows(size, size, source_rows.clone());
            TaskOutput::Pixels(blur::blur_band(&source, size, source_rows, band))
        }
        TaskInput::MandelbrotBand { size, first_row, rows } => {
            let size = size as usize;
            TaskOutput::Pixels(mandelbrot::render_band(
                size,
                size,
                first_row as usize..(first_row + rows) as usize,
            ))
        }
    }
}

/// A small task of the same kernel (a few milliseconds), run repeatedly on
/// every worker before timing starts: see `warm_up_settled`.
pub fn warm_up_input(workload: Workload, size: u32) -> TaskInput {
    match workload {
        Workload::SumOfSquares => TaskInput::SumOfSquares { n: 2_000_000 },
        // The largest prime below 10¹²: half a million divisions.
        Workload::Primes => TaskInput::Prime { n: 999_999_999_989 },
        // The run's own width: the buffers a band needs grow with it.
        Workload::Blur => TaskInput::BlurBand { size, first_row: 0, rows: 8.min(size) },
        // Rows through the set's middle, where the inner loop runs longest.
        Workload::Mandelbrot => TaskInput::MandelbrotBand { size: 128, first_row: 48, rows: 32 },
    }
}

/// Warm-up lasts at least this long, and at most the longer.
pub const WARM_UP_MIN_MS: f64 = 250.0;
pub const WARM_UP_MAX_MS: f64 = 2_000.0;
/// The last calls that must agree, and how closely.
const SETTLED_CALLS: usize = 5;
const SETTLED_SPREAD: f64 = 0.05;

/// Whether warm-up may stop, from the durations of its kernel calls so far.
/// The first call of a kernel runs about twice as slow, and just after the
/// page loads the browser is still compiling on a background thread, which
/// slows every call while it shares a core: warm-up goes on until the last
/// calls take the same time (within 5%), or until its time is up.
pub fn warm_up_settled(call_durations_ms: &[f64], elapsed_ms: f64) -> bool {
    if elapsed_ms >= WARM_UP_MAX_MS {
        return true;
    }
    if elapsed_ms < WARM_UP_MIN_MS || call_durations_ms.len() < SETTLED_CALLS {
        return false;
    }
    let recent = &call_durations_ms[call_durations_ms.len() - SETTLED_CALLS..];
    let fastest = recent.iter().copied().fold(f64::INFINITY, f64::min);
    let slowest = recent.iter().copied().fold(0.0, f64::max);
    slowest <= fastest * (1.0 + SETTLED_SPREAD)
}

/// What a run computed, reduced to what the page compares across modes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResultCheck {
    /// FNV-1a over every output in task order.
    pub digest: u64,
    /// What the outputs say.
    pub summary: ResultSummary,
}

/// What a complete run's outputs say, as data the page words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResultSummary {
    /// Each task's exact sum, in task order (what the notes' Python prints).
    Sums(Vec<u128>),
    Primes {
        found: usize,
        of: usize,
    },
    Pixels {
        pixels: usize,
        bands: usize,
    },
}

impl ResultSummary {
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (ResultSummary::Sums(sums), _) if sums.is_empty() => String::new(),
            (ResultSummary::Sums(sums), Lang::En) => {
                let first = sums[0];
                let more =
                    if sums.len() > 1 { format!(", and {} more", sums.len() - 1) } else { String::new() };
                format!("{} sums: {first}{more}", sums.len())
            }
            (ResultSummary::Sums(sums), Lang::ZhCn) => {
                let first = sums[0];
                let more =
                    if sums.len() > 1 { format!("，另有 {} 个", sums.len() - 1) } else { String::new() };
                format!("{} 个和：{first}{more}", sums.len())
            }
            (ResultSummary::Primes { found, of }, Lang::En) => format!("{found} of {of} numbers are prime"),
            (ResultSummary::Primes { found, of }, Lang::ZhCn) => format!("{of} 个数中有 {found} 个素数"),
            (ResultSummary::Pixels { pixels, bands }, Lang::En) => {
                format!("{pixels} pixels in {bands} bands")
            }
            (ResultSummary::Pixels { pixels, bands }, Lang::ZhCn) => {
                format!("{bands} 条带共 {pixels} 个像素")
            }
        }
    }
}

/// Folds the outputs of a complete run, in task order.
pub fn check_results(workload: Workload, outputs: &[TaskOutput]) -> ResultCheck {
    let mut digest = Fnv1a::default();
    let mut sums = Vec::new();
    let mut primes_found = 0;
    let mut pixel_bytes = 0;
    for output in outputs {
        match output {
            TaskOutput::Sum(sum) => {
                digest.write(&sum.to_le_bytes());
                sums.push(*sum);
            }
            TaskOutput::Prime(is_prime) => {
                digest.write(&[u8::from(*is_prime)]);
                primes_found += usize::from(*is_prime);
            }
            TaskOutput::Pixels(pixels) => {
                digest.write(pixels);
                pixel_bytes += pixels.len();
            }
        }
    }
    let count = outputs.len();
    let summary = match workload {
        Workload::SumOfSquares => ResultSummary::Sums(sums),
        Workload::Primes => ResultSummary::Primes { found: primes_found, of: count },
        Workload::Blur | Workload::Mandelbrot => {
            ResultSummary::Pixels { pixels: pixel_bytes / 4, bands: count }
        }
    };
    ResultCheck { digest: digest.finish(), summary }
}

#[derive(Clone, Copy)]
struct Fnv1a(u64);

impl Default for Fnv1a {
    fn default() -> Self {
        Fnv1a(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv1a {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = (self.0 ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use expect_test::expect;
    use proptest::prelude::*;

    #[test]
    fn task_lists_follow_the_notes() {
        let rendered: Vec<String> = Workload::VARIANTS
            .iter()
            .map(|&workload| {
                let bounds = workload.bounds();
                let inputs = task_inputs(workload, bounds.default_size, bounds.default_tasks);
                format!(
                    "{}: {} tasks, first {:?}, last {:?}",
                    <&str>::from(workload),
                    inputs.len(),
                    inputs[0],
                    inputs[inputs.len() - 1]
                )
            })
            .collect();
        expect![[r#"
            sum: 20 tasks, first SumOfSquares { n: 10000000 }, last SumOfSquares { n: 10000019 }
            primes: 6 tasks, first Prime { n: 112272535095293 }, last Prime { n: 1099726899285419 }
            blur: 16 tasks, first BlurBand { size: 1024, first_row: 0, rows: 64 }, last BlurBand { size: 1024, first_row: 960, rows: 64 }
            mandelbrot: 16 tasks, first MandelbrotBand { size: 1024, first_row: 0, rows: 64 }, last MandelbrotBand { size: 1024, first_row: 960, rows: 64 }"#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn warm_up_waits_for_steady_calls_within_its_time() {
        let steady = [2.0, 2.02, 2.01, 1.99, 2.0];
        assert!(!warm_up_settled(&steady, 10.0), "too early");
        assert!(warm_up_settled(&steady, WARM_UP_MIN_MS));
        assert!(!warm_up_settled(&[4.0, 3.0, 2.5, 2.1, 2.0], WARM_UP_MIN_MS), "still speeding up");
        assert!(!warm_up_settled(&[2.0, 2.0], WARM_UP_MIN_MS), "too few calls");
        assert!(warm_up_settled(&[4.0, 3.0], WARM_UP_MAX_MS), "time is up");
        assert!(primes::is_prime(999_999_999_989));
    }

    #[test]
    fn small_runs_give_known_answers() {
        let sums: Vec<TaskOutput> =
            task_inputs(Workload::SumOfSquares, 1_000, 3).iter().map(run_task).collect();
        // sum(i*i for i in range(n)) for n = 1000, 1001, 1002
        assert_eq!(
            sums,
            [TaskOutput::Sum(332_833_500), TaskOutput::Sum(333_833_500), TaskOutput::Sum(334_835_501)]
        );
        let check = check_results(Workload::SumOfSquares, &sums);
        assert_eq!(check.summary.text(Lang::En), "3 sums: 332833500, and 2 more");
        assert_eq!(check.summary.text(Lang::ZhCn), "3 个和：332833500，另有 2 个");

        let primes: Vec<TaskOutput> = task_inputs(Workload::Primes, 0, 6).iter().map(run_task).collect();
        assert_eq!(
            check_results(Workload::Primes, &primes).summary.text(Lang::En),
            "5 of 6 numbers are prime"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn bands_cover_every_row_once(size in 64u32..300, tasks in 1u32..=64) {
            for workload in [Workload::Blur, Workload::Mandelbrot] {
                let mut next_row = 0;
                for input in task_inputs(workload, size, tasks) {
                    let (TaskInput::BlurBand { first_row, rows, .. } | TaskInput::MandelbrotBand { first_row, rows, .. }) = input else {
                        panic!("a band task");
                    };
                    prop_assert_eq!(first_row, next_row);
                    prop_assert!(rows > 0);
                    next_row += rows;
                }
                prop_assert_eq!(next_row, size);
            }
        }

        #[test]
        fn banded_pictures_equal_the_whole_and_digests_tell_them_apart(size in 64u32..96, tasks in 1u32..12) {
            for workload in [Workload::Blur, Workload::Mandelbrot] {
                let banded: Vec<TaskOutput> = task_inputs(workload, size, tasks).iter().map(run_task).collect();
                let whole: Vec<TaskOutput> = task_inputs(workload, size, 1).iter().map(run_task).collect();
                let joined: Vec<u8> = banded.iter().flat_map(|output| match output {
                    TaskOutput::Pixels(pixels) => pixels.clone(),
                    _ => Vec::new(),
                }).collect();
                prop_assert_eq!(&[TaskOutput::Pixels(joined)][..], &whole[..]);
                let mut changed = banded.clone();
                if let Some(TaskOutput::Pixels(pixels)) = changed.last_mut() {
                    pixels[0] ^= 1;
                }
                prop_assert_ne!(check_results(workload, &banded).digest, check_results(workload, &changed).digest);
            }
        }
    }
}
