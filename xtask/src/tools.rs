//! Installing what the build and the tests need, where it is missing. Every
//! check is quick when the tool is already there, so each command runs it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process::{Result, XtaskError, first_line, read_text, run};

pub const TRUNK_VERSION: &str = "0.22.1";
const CHROMIUM: &str = "/usr/bin/chromium";
const FIREFOX: &str = "/usr/bin/firefox-esr";

/// Where the installed tools are, for the commands that use them.
pub struct Tools {
    /// `PATH` with cargo's and npm's tool folders first.
    pub path: OsString,
    pub trunk_version: String,
    pub wasm_bindgen_version: String,
}

impl Tools {
    pub fn command(&self, program: &str) -> Command {
        let mut command = Command::new(program);
        command.env("PATH", &self.path);
        command
    }
}

/// Rust targets, Trunk, wasm-bindgen-cli at Cargo.lock's version, and npm's
/// binaryen (wasm-opt), as pinned in Trunk.toml.
pub fn ensure_build_tools(root: &Path) -> Result<Tools> {
    ensure_rust_parts(root)?;
    let path = tool_path(root)?;
    let wasm_bindgen_version = locked_version(root, "wasm-bindgen")?;
    let trunk_version = ensure_cargo_tool(root, &path, "trunk", "trunk", TRUNK_VERSION, &["--locked"])?;
    // No `--locked`: the CLI's lock pins a webpki-roots release the registry
    // no longer has (../shared/notes/toolchain.md).
    let wasm_bindgen_version =
        ensure_cargo_tool(root, &path, "wasm-bindgen", "wasm-bindgen-cli", &wasm_bindgen_version, &[])?;
    ensure_node()?;
    ensure_npm_packages(&root.join("xtask/node"))?;
    Ok(Tools { path, trunk_version, wasm_bindgen_version })
}

pub const CARGO_FUZZ_VERSION: &str = "0.13.2";

/// cargo-fuzz, for `cargo xtask fuzz`; returns the `PATH` it is found on.
pub fn ensure_fuzz_tools(root: &Path) -> Result<OsString> {
    let path = tool_path(root)?;
    // libfuzzer-sys compiles libFuzzer's C++ sources.
    ensure_debian_package(Path::new("/usr/bin/g++"), "g++")?;
    ensure_cargo_tool(root, &path, "cargo-fuzz", "cargo-fuzz", CARGO_FUZZ_VERSION, &["--locked"])?;
    Ok(path)
}

/// Debian's Firefox ESR, for the Firefox smoke suite.
pub fn ensure_firefox() -> Result<()> {
    ensure_debian_package(Path::new(FIREFOX), "firefox-esr")
}

/// Debian's Chromium and the browser tests' npm packages.
pub fn ensure_browser_tools(root: &Path) -> Result<()> {
    ensure_debian_package(Path::new(CHROMIUM), "chromium")?;
    ensure_npm_packages(&root.join("tests"))
}

fn ensure_rust_parts(root: &Path) -> Result<()> {
    let installed = |what: &str| {
        let mut command = Command::new("rustup");
        command.current_dir(root).args([what, "list", "--installed"]);
        crate::process::capture(&mut command)
            .map(|output| String::from_utf8_lossy(&output.stdout).into_owned())
    };
    if !installed("target")?.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        run(Command::new("rustup").current_dir(root).args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    if !installed("component")?.lines().any(|line| line.starts_with("rust-src")) {
        run(Command::new("rustup").current_dir(root).args(["component", "add", "rust-src"]))?;
    }
    Ok(())
}

/// `PATH` with `$CARGO_HOME/bin` (where `cargo install` puts tools) and the
/// npm tools' `.bin` first, so Trunk finds the pinned wasm-bindgen and wasm-opt.
fn tool_path(root: &Path) -> Result<OsString> {
    let mut folders = vec![cargo_home()?.join("bin"), root.join("xtask/node/node_modules/.bin")];
    folders.extend(
        std::env::var_os("PATH")
            .map(|path| std::env::split_paths(&path).collect::<Vec<_>>())
            .unwrap_or_default(),
    );
    std::env::join_paths(folders).map_err(|error| XtaskError::Setup(format!("PATH cannot be built: {error}")))
}

fn cargo_home() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        return Ok(PathBuf::from(home));
    }
    std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".cargo"))
        .ok_or_else(|| XtaskError::Setup("neither CARGO_HOME nor HOME is set".into()))
}

/// The version of `package` that Cargo.lock resolved.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = read_text(&root.join("Cargo.lock"))?;
    let name_line = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == name_line
            && let Some(version) = lines.next().and_then(|next| next.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_string());
        }
    }
    Err(XtaskError::Setup(format!("Cargo.lock has no `{package}`")))
}

/// Makes `binary --version` print `version`, installing `package` at that
/// version with `cargo install` when it does not. Returns the version line.
fn ensure_cargo_tool(
    root: &Path,
    path: &OsString,
    binary: &str,
    package: &str,
    version: &str,
    extra_args: &[&str],
) -> Result<String> {
    let wanted = format!("{binary} {version}");
    let current = || first_line(Command::new(binary).env("PATH", path).arg("--version"));
    if current().as_deref() == Some(wanted.as_str()) {
        return Ok(wanted);
    }
    eprintln!("xtask: installing {package} {version} (once per machine; this takes minutes)");
    run(Command::new("cargo")
        .current_dir(root)
        .args(["install", package, "--version", version])
        .args(extra_args))?;
    match current() {
        Some(line) if line == wanted => Ok(wanted),
        other => Err(XtaskError::Setup(format!(
            "after installing {package} {version}, `{binary} --version` says {other:?}; is another {binary} earlier on PATH?"
        ))),
    }
}

fn ensure_node() -> Result<()> {
    if first_line(Command::new("npm").arg("--version")).is_some() {
        return Ok(());
    }
    ensure_debian_package(Path::new("/usr/bin/npm"), "npm")
}

/// `npm ci` in `folder` when its node_modules is missing or older than its lock.
fn ensure_npm_packages(folder: &Path) -> Result<()> {
    let lock = folder.join("package-lock.json");
    let installed = folder.join("node_modules/.package-lock.json");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|meta| meta.modified()).ok();
    let up_to_date = match (modified(&lock), modified(&installed)) {
        (Some(lock_time), Some(installed_time)) => installed_time >= lock_time,
        _ => false,
    };
    if up_to_date {
        return Ok(());
    }
    run(Command::new("npm")
        .current_dir(folder)
        .args(["ci", "--no-audit", "--no-fund"])
        // Playwright drives Debian's Chromium; its own browser download cannot work here.
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"))
}

fn ensure_debian_package(binary: &Path, package: &str) -> Result<()> {
    if binary.exists() {
        return Ok(());
    }
    if !running_as_root() {
        return Err(XtaskError::Setup(format!(
            "{} is missing: install Debian's `{package}` package (sudo apt-get install {package}) and run again",
            binary.display()
        )));
    }
    eprintln!("xtask: installing Debian's {package}");
    run(Command::new("apt-get").arg("update"))?;
    run(Command::new("apt-get").args(["install", "-y", package]).env("DEBIAN_FRONTEND", "noninteractive"))
}

fn running_as_root() -> bool {
    first_line(Command::new("id").arg("-u")).as_deref() == Some("0")
}
