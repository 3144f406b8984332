//! Building the release bundle `dist/` with Trunk, skipped when none of its
//! inputs changed since the last build.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::process::{Result, XtaskError, read_text, run, write_text};
use crate::security_headers::{self, CONTENT_SECURITY_POLICY, SERVICE_WORKER_PLACEHOLDER};
use crate::tools::Tools;

/// Everything the bundle is made from.
const INPUTS: &[&str] = &[
    ".cargo/config.toml",
    "build.rs",
    "Cargo.lock",
    "Cargo.toml",
    "Trunk.toml",
    "crates/overlap-core",
    "index.html",
    "locales",
    "rust-toolchain.toml",
    "src",
    "www",
    // The fixes applied to what Trunk writes (`after_trunk`), and the
    // headers written into `_headers` and `sw.js`.
    "xtask/src/dist.rs",
    "xtask/src/security_headers.rs",
];

/// std for the wasm build only, rebuilt with atomics (see .cargo/config.toml),
/// and with its `optimize_for_size` feature: smaller sorts (a merge sort
/// and a heapsort instead of driftsort and ipnsort, one for each sorted
/// type) and integer formatting; the release wasm shrank 3% (1,749,474 ->
/// 1,696,267 bytes; 671,300 -> 651,147 gzip -9), README "First load".
pub const BUILD_STD: [(&str, &str); 2] = [
    ("CARGO_UNSTABLE_BUILD_STD", "panic_abort,std"),
    ("CARGO_UNSTABLE_BUILD_STD_FEATURES", "optimize_for_size"),
];

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
        .envs(BUILD_STD))?;
    run(tools.command("trunk").current_dir(root).args(["build", "--release"]).envs(BUILD_STD))?;
    after_trunk(&dist_dir(root))?;
    write_text(&stamp_path, &fingerprint)?;
    Ok(true)
}

/// Fixes to what Trunk 0.22.1 writes (two for a console warning on every
/// load, one for the policy), then the security headers; the build fails
/// if what they fix is no longer there to fix.
fn after_trunk(dist: &Path) -> Result<()> {
    let index_path = dist.join("index.html");
    let mut index = read_text(&index_path)?;
    patch_rayon_worker_init(dist, &mut index)?;
    index = without_wasm_preload_integrity(&index)?;
    index = start_script_in_a_file(dist, &index)?;
    write_text(&index_path, &index)?;
    security_headers::check_index(&index)?;
    write_security_headers(dist)
}

/// Trunk starts the app from an inline module, which names this build's
/// hashed files. Allowed by its hash, it would need a policy that changes
/// with every build, and after a deploy the last build's service worker
/// (which still serves the first visit) would add its own policy to the
/// new page and block it: the app would not start until a second reload.
/// In a file of its own (named by its content, like Trunk's), it is
/// allowed by `'self'`, and every build's policy is the same.
fn start_script_in_a_file(dist: &Path, index: &str) -> Result<String> {
    const OPENING: &str = "<script type=\"module\">";
    const CLOSING: &str = "</script>";
    let start = index
        .find(OPENING)
        .ok_or_else(|| XtaskError::Setup(format!("dist/index.html has no inline `{OPENING}` to move")))?;
    let body_start = start + OPENING.len();
    let body_end = index[body_start..]
        .find(CLOSING)
        .map(|end| body_start + end)
        .ok_or_else(|| XtaskError::Setup("dist/index.html's start module never ends".into()))?;
    let body = &index[body_start..body_end];
    let name = format!("start-{}.js", &content_hash(body.as_bytes())[..16]);
    write_text(&dist.join(&name), body)?;
    Ok(format!(
        "{}<script type=\"module\" src=\"./{name}\"></script>{}",
        &index[..start],
        &index[body_end + CLOSING.len()..]
    ))
}

/// Gives `_headers` and the service worker the page's policy: one text
/// for every host, written into each when the page is built.
fn write_security_headers(dist: &Path) -> Result<()> {
    let headers_path = dist.join("_headers");
    let mut headers_file = read_text(&headers_path)?;
    if !headers_file.trim_end().ends_with("Document-Isolation-Policy: isolate-and-require-corp") {
        return Err(XtaskError::Setup(format!(
            "{} no longer ends with its `/*` rule's headers: where should the security headers go?",
            headers_path.display()
        )));
    }
    headers_file = format!("{}\n{}", headers_file.trim_end(), security_headers::headers_file_lines());
    write_text(&headers_path, &headers_file)?;

    let worker_path = dist.join("sw.js");
    let worker = read_text(&worker_path)?;
    let quoted = format!("'{SERVICE_WORKER_PLACEHOLDER}'");
    if !worker.contains(&quoted) {
        return Err(XtaskError::Setup(format!("{} has no {quoted} to replace", worker_path.display())));
    }
    let policy = serde_json::to_string(CONTENT_SECURITY_POLICY)
        .map_err(|error| XtaskError::Setup(format!("the policy as a string: {error}")))?;
    write_text(&worker_path, &worker.replace(&quoted, &policy))
}

/// wasm-bindgen-rayon 1.3.0's worker helper (the latest release) initialises
/// each pool worker with `pkg.default(module, memory)`, the positional form
/// wasm-bindgen 0.2.130 deprecates: every worker printed "using deprecated
/// parameters for the initialization function; pass a single object
/// instead". This rewrites that one call into the object form, which means
/// the same, and gives the helper's `modulepreload` the new file's hash.
fn patch_rayon_worker_init(dist: &Path, index: &mut String) -> Result<()> {
    const POSITIONAL: &str = "await pkg.default(data.module, data.memory);";
    const OBJECT: &str = "await pkg.default({ module_or_path: data.module, memory: data.memory });";
    let snippets = dist.join("snippets");
    let mut helpers = Vec::new();
    collect_files(&snippets, &mut helpers)?;
    helpers.retain(|path| path.file_name().is_some_and(|name| name == "workerHelpers.no-bundler.js"));
    if helpers.is_empty() {
        return Err(XtaskError::Setup(format!(
            "no wasm-bindgen-rayon worker helper under {}",
            snippets.display()
        )));
    }
    for helper in helpers {
        let text = read_text(&helper)?;
        if !text.contains(POSITIONAL) {
            return Err(XtaskError::Setup(format!(
                "{} no longer calls `{POSITIONAL}`: check whether the workaround in dist.rs is still needed",
                helper.display()
            )));
        }
        let patched = text.replace(POSITIONAL, OBJECT);
        write_text(&helper, &patched)?;
        let href = format!("./{}", helper.strip_prefix(dist).unwrap_or(&helper).display());
        let (before, after) = (integrity_of(text.as_bytes()), integrity_of(patched.as_bytes()));
        let link_start = index.find(&format!("href=\"{href}\"")).ok_or_else(|| {
            XtaskError::Setup(format!("dist/index.html has no link to {href} to give its new hash"))
        })?;
        let link_end = index[link_start..].find('>').map_or(index.len(), |end| link_start + end);
        let link = index[link_start..link_end].replace(&before, &after);
        index.replace_range(link_start..link_end, &link);
    }
    Ok(())
}

/// Trunk gives the wasm `<link rel="preload" as="fetch">` an `integrity`
/// attribute, which Chromium ignores for that destination and warns about
/// on every load ("The `integrity` attribute is currently ignored for
/// preload destinations that do not support subresource integrity",
/// https://crbug.com/981419). Without it nothing changes but the warning.
fn without_wasm_preload_integrity(index: &str) -> Result<String> {
    let preload = index
        .find("rel=\"preload\"")
        .ok_or_else(|| XtaskError::Setup("dist/index.html has no wasm preload".into()))?;
    let link_start = index[..preload].rfind('<').unwrap_or(0);
    let link_end = index[preload..].find('>').map_or(index.len(), |end| preload + end);
    let link = &index[link_start..link_end];
    let Some(attribute_start) = link.find(" integrity=\"") else { return Ok(index.to_string()) };
    let value_start = attribute_start + " integrity=\"".len();
    let attribute_end = link[value_start..].find('"').map_or(link.len(), |end| value_start + end + 1);
    let cleaned = format!("{}{}", &link[..attribute_start], &link[attribute_end..]);
    Ok(format!("{}{cleaned}{}", &index[..link_start], &index[link_end..]))
}

/// A file name's content hash: hex of SHA-256.
fn content_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Subresource Integrity's `sha384-…` for `bytes`.
fn integrity_of(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    format!("sha384-{}", base64::engine::general_purpose::STANDARD.encode(sha2::Sha384::digest(bytes)))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_module_moves_into_a_file_named_by_its_content() {
        let dist = std::env::temp_dir().join(format!("overlap-dist-test-{}", std::process::id()));
        std::fs::create_dir_all(&dist).expect("a temporary folder");
        let index = "<head><script src=\"./isolate.js\"></script>\n<script type=\"module\">\nimport init from './a.js';\n</script><link rel=\"preload\"></head>";
        let moved = start_script_in_a_file(&dist, index).expect("moved");
        let name = format!("start-{}.js", &content_hash(b"\nimport init from './a.js';\n")[..16]);
        assert_eq!(
            moved,
            format!(
                "<head><script src=\"./isolate.js\"></script>\n<script type=\"module\" src=\"./{name}\"></script><link rel=\"preload\"></head>"
            )
        );
        assert_eq!(
            std::fs::read_to_string(dist.join(&name)).expect("the file"),
            "\nimport init from './a.js';\n"
        );
        assert!(security_headers::check_index(&moved).is_ok());
        assert!(start_script_in_a_file(&dist, "<head></head>").is_err());
    }

    #[test]
    fn the_wasm_preload_loses_only_its_integrity() {
        let index = r#"<link rel="modulepreload" href="./a.js" integrity="sha384-A"><link rel="preload" href="./a_bg.wasm" crossorigin="anonymous" integrity="sha384-B" as="fetch" type="application/wasm"></head>"#;
        let cleaned = without_wasm_preload_integrity(index).unwrap_or_default();
        assert_eq!(
            cleaned,
            r#"<link rel="modulepreload" href="./a.js" integrity="sha384-A"><link rel="preload" href="./a_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm"></head>"#
        );
        assert_eq!(
            integrity_of(b"abc"),
            "sha384-ywB1P0WjXou1oD1pmsZQBycsMqsO3tFjGotgWkP/W+2AhgcroefMI1i67KE0yCWn"
        );
    }
}
