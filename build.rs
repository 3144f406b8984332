//! Generates the view catalogue's module from `locales/` (leptos_i18n): one
//! JSON file per language and namespace (a namespace per shared part and per
//! experiment). Every key must stand in both languages, or the build fails:
//! leptos_i18n would only warn and fall back to English.

use std::collections::BTreeSet;
use std::error::Error;
use std::path::{Path, PathBuf};

use leptos_i18n_build::{Config, ParseOptions, TranslationsInfos};

const LOCALES: [&str; 2] = ["en", "zh-CN"];

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    // The namespaces are the English catalogue's files: a new experiment's
    // messages are its two files, not a line here too.
    let namespaces = namespaces(Path::new("locales").join(LOCALES[0]).as_path())?;
    check_same_keys(Path::new("locales"), &namespaces)?;
    let out_dir = std::env::var_os("OUT_DIR").ok_or("cargo sets OUT_DIR for build scripts")?;
    // `interpolate_display`: texts with values are also needed as strings
    // (attributes, titles drawn on the canvas), not only as views.
    let options = ParseOptions::default().interpolate_display(true);
    let config = Config::new(LOCALES[0])?
        .add_locale(LOCALES[1])?
        .add_namespaces(namespaces.iter().map(String::as_str))?
        .parse_options(options);
    let translations = TranslationsInfos::parse(config)?;
    translations.rerun_if_locales_changed();
    translations.emit_diagnostics();
    translations.generate_i18n_module(PathBuf::from(out_dir).join("i18n"))?;
    Ok(())
}

/// The `<namespace>.json` files of `folder`, sorted.
fn namespaces(folder: &Path) -> Result<Vec<String>, Box<dyn Error>> {
    println!("cargo::rerun-if-changed={}", folder.display());
    let mut names = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(|error| format!("{}: {error}", folder.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|extension| extension == "json")
            && let Some(stem) = path.file_stem().and_then(|stem| stem.to_str())
        {
            names.push(stem.to_string());
        }
    }
    names.sort();
    Ok(names)
}

/// Every namespace has the same keys in every language.
fn check_same_keys(locales: &Path, namespaces: &[String]) -> Result<(), Box<dyn Error>> {
    let mut problems = Vec::new();
    for namespace in namespaces {
        let keys_of = |locale: &str| -> Result<BTreeSet<String>, Box<dyn Error>> {
            let path = locales.join(locale).join(format!("{namespace}.json"));
            println!("cargo::rerun-if-changed={}", path.display());
            let text =
                std::fs::read_to_string(&path).map_err(|error| format!("{}: {error}", path.display()))?;
            let value: serde_json::Value =
                serde_json::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))?;
            let mut keys = BTreeSet::new();
            flatten("", &value, &mut keys);
            Ok(keys)
        };
        let english = keys_of(LOCALES[0])?;
        for locale in &LOCALES[1..] {
            let other = keys_of(locale)?;
            for key in english.difference(&other) {
                problems.push(format!("{locale}/{namespace}.json lacks `{key}`"));
            }
            for key in other.difference(&english) {
                problems
                    .push(format!("{locale}/{namespace}.json has `{key}`, which en/{namespace}.json lacks"));
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join("\n").into()) }
}

fn flatten(prefix: &str, value: &serde_json::Value, keys: &mut BTreeSet<String>) {
    match value.as_object() {
        Some(object) => {
            for (key, inner) in object {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                flatten(&path, inner, keys);
            }
        }
        None => {
            keys.insert(prefix.to_string());
        }
    }
}
