//! What a first visit transfers, by kind: the files the browser fetched,
//! read from `dist/`, raw and as gzip and brotli would send them (the best
//! level of each, as a static host precompresses).

use std::io::Write;
use std::path::Path;

use crate::process::{Result, XtaskError};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sizes {
    pub raw_bytes: u64,
    pub gzip_bytes: u64,
    pub brotli_bytes: u64,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, other: Sizes) {
        self.raw_bytes += other.raw_bytes;
        self.gzip_bytes += other.gzip_bytes;
        self.brotli_bytes += other.brotli_bytes;
    }
}

/// The first load's wasm, JS and CSS, each kind summed, from the URL paths
/// the browser fetched (`/overlap-1a2b.js`); other files are left out.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FirstLoad {
    pub wasm: Sizes,
    pub js: Sizes,
    pub css: Sizes,
}

impl FirstLoad {
    pub fn total(&self) -> Sizes {
        let mut total = self.wasm;
        total += self.js;
        total += self.css;
        total
    }
}

pub fn first_load(dist: &Path, fetched_paths: &[String]) -> Result<FirstLoad> {
    let mut paths: Vec<&str> =
        fetched_paths.iter().map(|path| path.split(['?', '#']).next().unwrap_or("")).collect();
    paths.sort_unstable();
    paths.dedup();
    let mut load = FirstLoad::default();
    for path in paths {
        let kind = match path.rsplit('.').next() {
            Some("wasm") => &mut load.wasm,
            Some("js") => &mut load.js,
            Some("css") => &mut load.css,
            _ => continue,
        };
        let file = dist.join(path.trim_start_matches('/'));
        let bytes = std::fs::read(&file).map_err(|error| {
            XtaskError::Setup(format!("the browser fetched {path}, not in dist/: {error}"))
        })?;
        *kind += sizes_of(&bytes)?;
    }
    Ok(load)
}

pub fn sizes_of(bytes: &[u8]) -> Result<Sizes> {
    let compress_error = |error: std::io::Error| XtaskError::Setup(format!("compressing: {error}"));
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(bytes).map_err(compress_error)?;
    let gzip = gzip.finish().map_err(compress_error)?;
    let mut brotli = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut brotli, 4096, 11, 22);
        writer.write_all(bytes).map_err(compress_error)?;
    }
    Ok(Sizes {
        raw_bytes: bytes.len() as u64,
        gzip_bytes: gzip.len() as u64,
        brotli_bytes: brotli.len() as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repetitive_text_compresses_and_brotli_beats_gzip() {
        let text = "fn sum_of_squares(n: u64) -> u64 { (0..n).map(|i| i * i).sum() }\n".repeat(200);
        let sizes = sizes_of(text.as_bytes()).expect("compresses");
        assert_eq!(sizes.raw_bytes, text.len() as u64);
        assert!(sizes.gzip_bytes < sizes.raw_bytes / 10);
        assert!(sizes.brotli_bytes < sizes.gzip_bytes);
    }

    #[test]
    fn first_load_counts_each_file_once_by_kind() {
        let dist = std::env::temp_dir().join(format!("overlap-sizes-{}", std::process::id()));
        std::fs::create_dir_all(&dist).expect("temp dir");
        for (name, text) in
            [("app.js", "let a = 1;"), ("app.wasm", "\0asm"), ("styles.css", "p{}"), ("index.html", "<p>")]
        {
            std::fs::write(dist.join(name), text).expect("write");
        }
        let fetched =
            ["/app.js", "/app.js?v=2", "/app.wasm", "/styles.css", "/index.html", "/"].map(String::from);
        let load = first_load(&dist, &fetched).expect("sizes");
        assert_eq!((load.js.raw_bytes, load.wasm.raw_bytes, load.css.raw_bytes), (10, 4, 3));
        assert_eq!(load.total().raw_bytes, 17);
        assert!(first_load(&dist, &["/missing.js".to_string()]).is_err());
        let _ = std::fs::remove_dir_all(&dist);
    }
}
