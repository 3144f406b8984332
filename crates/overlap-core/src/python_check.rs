//! For tests: runs a Python program the page shows on CPython and returns
//! what it printed, so every program is checked the same way.

/// What `program` printed, trimmed; `None` only where `OVERLAP_NO_PYTHON`
/// asks to skip (no interpreter can be installed). Fails the test when
/// `python3` is missing otherwise, or when the program fails.
pub fn python_output(program: &str) -> Option<String> {
    let output = match std::process::Command::new("python3").arg("-c").arg(program).output() {
        Ok(output) => output,
        Err(error) => {
            assert!(
                std::env::var_os("OVERLAP_NO_PYTHON").is_some(),
                "python3 runs the programs shown ({error}); set OVERLAP_NO_PYTHON=1 to skip"
            );
            return None;
        }
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    Some(String::from_utf8_lossy(&output.stdout).trim().to_string())
}
