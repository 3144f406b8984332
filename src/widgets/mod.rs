//! What every experiment page is built from: its parameter form and fields,
//! the choice it made in words (`chosen_idea`), its code panel, the frame of its charts,
//! Run, Compare and Cancel, the progress of the run in flight, the runs
//! panel, "Download results", the embed code, and the prediction asked
//! before Run.

pub mod chart_frame;
pub mod chosen_idea;
pub mod code_panel;
pub mod embed_code;
pub mod form_fields;
pub mod param_form;
pub mod prediction;
pub mod results_download;
pub mod run_control;
pub mod run_views;
