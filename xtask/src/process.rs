//! Running the programs xtask drives, with every failure named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[derive(Debug, thiserror::Error)]
pub enum XtaskError {
    #[error("`{command}` could not be started: {source}")]
    NotStarted { command: String, source: std::io::Error },
    #[error("`{command}` failed ({status})")]
    Failed { command: String, status: std::process::ExitStatus },
    #[error("{path}: {source}")]
    File { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Setup(String),
}

pub type Result<T> = std::result::Result<T, XtaskError>;

pub fn describe(command: &Command) -> String {
    let mut text = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// Runs with the terminal attached, after printing what runs.
pub fn run(command: &mut Command) -> Result<()> {
    let text = describe(command);
    eprintln!("$ {text}");
    let status =
        command.status().map_err(|source| XtaskError::NotStarted { command: text.clone(), source })?;
    if status.success() { Ok(()) } else { Err(XtaskError::Failed { command: text, status }) }
}

/// Runs and captures stdout and stderr, whatever the exit status.
pub fn capture(command: &mut Command) -> Result<Output> {
    command.output().map_err(|source| XtaskError::NotStarted { command: describe(command), source })
}

/// The first line the program prints, or `None` when it cannot be run.
pub fn first_line(command: &mut Command) -> Option<String> {
    let output = command.output().ok().filter(|output| output.status.success())?;
    String::from_utf8_lossy(&output.stdout).lines().next().map(|line| line.trim().to_string())
}

pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|source| XtaskError::File { path: path.to_path_buf(), source })
}

pub fn write_text(path: &Path, text: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|source| XtaskError::File { path: parent.to_path_buf(), source })?;
    }
    std::fs::write(path, text).map_err(|source| XtaskError::File { path: path.to_path_buf(), source })
}
