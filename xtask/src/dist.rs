//! Building the release bundle `dist/` with Trunk, skipped when none of its
//! inputs changed since the last build.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::process::{Result, XtaskError, read_text, run, write_text};
use crate::tools::Tools;

/// Everything the bundle is made from.
const INPUTS: &[&str] = &[
    ".cargo/config.toml",
    "Cargo.lock",
    "Cargo.toml",
    "Trunk.toml",
    "crates/overlap-core",
    "index.html",
    "rust-toolchain.toml",
    "src",
    "www",
];

/// std for the wasm build only, rebuilt with atomics (see .cargo/config.toml).
pub const BUILD_STD: (&str, &str) = ("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std");

pub fn dist_dir(root: &Path) -> PathBuf {
    root.join("dist")
}

/// Builds `dist/` unless it is up to date. Returns whether it built.
pub fn build(root: &Path, tools: &Tools) -> Result<bool> {
    let stamp_path = root.join("target/overlap-dist.stamp");
    let fingerprint = fingerprint(root, tools)?;
    let up_to_date = dist_dir(root).join("index.html").exists()
        && read_text(&stamp_path).is_ok_and(|stamp| stamp == fingerprint);
    if up_to_date {
        eprintln!("xtask: dist/ is up to date");
        return Ok(false);
    }
    // Trunk builds offline (Trunk.toml): fetch the crates first, std's own
    // dependencies included.
    run(tools
        .command("cargo")
        .current_dir(root)
        .args(["fetch", "--target", "wasm32-unknown-unknown"])
        .env(BUILD_STD.0, BUILD_STD.1))?;
    run(tools.command("trunk").current_dir(root).args(["build", "--release"]).env(BUILD_STD.0, BUILD_STD.1))?;
    write_text(&stamp_path, &fingerprint)?;
    Ok(true)
}

fn fingerprint(root: &Path, tools: &Tools) -> Result<String> {
    let mut hasher = DefaultHasher::new();
    tools.trunk_version.hash(&mut hasher);
    tools.wasm_bindgen_version.hash(&mut hasher);
    let mut files = Vec::new();
    for input in INPUTS {
        collect_files(&root.join(input), &mut files)?;
    }
    files.sort();
    for file in files {
        file.strip_prefix(root).unwrap_or(&file).hash(&mut hasher);
        std::fs::read(&file)
            .map_err(|source| XtaskError::File { path: file.clone(), source })?
            .hash(&mut hasher);
    }
    Ok(format!("{:016x}", hasher.finish()))
}

fn collect_files(path: &Path, files: &mut Vec<PathBuf>) -> Result<()> {
    if path.is_file() {
        files.push(path.to_path_buf());
        return Ok(());
    }
    let entries =
        std::fs::read_dir(path).map_err(|source| XtaskError::File { path: path.to_path_buf(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| XtaskError::File { path: path.to_path_buf(), source })?;
        collect_files(&entry.path(), files)?;
    }
    Ok(())
}
