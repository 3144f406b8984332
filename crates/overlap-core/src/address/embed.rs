//! An experiment inside another page's frame (`embed=1`): the `<iframe>`
//! "Copy embed code" gives a tutorial, the address "Open in Overlap" leads
//! to, and the messages the frame posts its host when its height changes.

use crate::address::page_state::{PageState, encode};
use crate::address::registry::Experiment;
use crate::lang::{Lang, Said};
use crate::records::json::json_string;

/// The height the copied `<iframe>` starts at: an experiment's form, its
/// Run buttons and a first run's figures fit; a host that listens to the
/// resize messages then follows the content.
pub const EMBED_HEIGHT_PX: u32 = 760;

/// The `type` of the message the frame posts its host, with `height`.
pub const RESIZE_MESSAGE_TYPE: &str = "overlap:resize";

/// The address an embed loads: this state as it stands, alone, in `lang`
/// (named, so that the embed speaks the language it was copied in).
pub fn embed_state(state: &PageState, lang: Lang) -> PageState {
    PageState { embedded: true, lang: Some(lang), ..state.clone() }
}

/// The address "Open in Overlap" opens from an embed: the same experiment
/// and parameters, as the whole page.
pub fn open_state(state: &PageState) -> PageState {
    PageState { embedded: false, ..state.clone() }
}

/// The title the frame gets (screen readers announce it): "Overlap: " and
/// the experiment's name.
pub fn frame_title(experiment: &Experiment) -> Said {
    let cards = Experiment::cards();
    let card = cards.iter().find(|card| card.ready.key() == experiment.key());
    match card {
        Some(card) => Said::new(
            format!("Overlap: {}", card.title.get(Lang::En)),
            format!("Overlap：{}", card.title.get(Lang::ZhCn)),
        ),
        None => Said::as_given("Overlap"),
    }
}

/// The `<iframe>` "Copy embed code" copies. `page_url` is the page's
/// address without its query (`https://example.org/overlap/`). No `style`
/// attribute: a host whose policy forbids inline style would refuse it.
/// `data-overlap-embed` marks it for a host's listener (`embed-example.js`).
/// `run=1` stays if the address has it: an author who wants the embed to
/// run on load copies it from a page opened so.
/// `allow="cross-origin-isolated"` lets a host that is isolated itself
/// pass isolation on to the frame; a host that is not gets it from the
/// frame's own `Document-Isolation-Policy` where the browser knows it.
pub fn iframe_code(page_url: &str, state: &PageState, lang: Lang) -> String {
    let src = format!("{page_url}{}", encode(&embed_state(state, lang)));
    let title = frame_title(&state.experiment);
    format!(
        "<iframe src=\"{}\" title=\"{}\" width=\"100%\" height=\"{EMBED_HEIGHT_PX}\" \
         allow=\"cross-origin-isolated\" loading=\"lazy\" data-overlap-embed></iframe>",
        attribute(&src),
        attribute(title.get(lang)),
    )
}

/// The message for hosts that speak Embedly's protocol, as the JSON text
/// they parse.
pub fn embedly_resize_message(src: &str, height_px: u32) -> String {
    format!("{{\"context\":\"iframe.resize\",\"src\":{},\"height\":{height_px}}}", json_string(src))
}

/// `text` inside a double-quoted HTML attribute.
fn attribute(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '"' => escaped.push_str("&quot;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::address::page_state::decode;

    #[test]
    fn the_copied_iframe_loads_the_same_state_alone_in_the_language_it_was_copied_in() {
        let state = decode("?exp=cpu&workload=primes&mode=threads&workers=2&run=1").state;
        let code = iframe_code("https://example.org/overlap/", &state, Lang::ZhCn);
        expect![[r#"<iframe src="https://example.org/overlap/?exp=cpu&amp;workload=primes&amp;mode=threads&amp;workers=2&amp;run=1&amp;lang=zh-CN&amp;embed=1" title="Overlap：CPU 密集型任务" width="100%" height="760" allow="cross-origin-isolated" loading="lazy" data-overlap-embed></iframe>"#]].assert_eq(&code);
        let src = code.split('"').nth(1).unwrap_or_default().replace("&amp;", "&");
        let query = src.trim_start_matches("https://example.org/overlap/");
        let decoded = decode(query);
        assert!(decoded.problems.is_empty(), "{:?}", decoded.problems);
        assert_eq!(decoded.state, embed_state(&state, Lang::ZhCn));
        assert_eq!(open_state(&decoded.state), PageState { lang: Some(Lang::ZhCn), ..state });
    }

    #[test]
    fn every_experiment_has_a_frame_title_in_both_languages() {
        for card in Experiment::cards() {
            let title = frame_title(&card.ready);
            for lang in [Lang::En, Lang::ZhCn] {
                let whole = title.get(lang);
                let name = whole.trim_start_matches("Overlap: ").trim_start_matches("Overlap：");
                assert!(!name.trim().is_empty() && name != whole, "{}: {whole:?}", card.ready.key());
            }
        }
    }

    #[test]
    fn attributes_and_the_embedly_message_are_escaped() {
        assert_eq!(attribute(r#"a"b<c>&d"#), "a&quot;b&lt;c&gt;&amp;d");
        expect![[r#"{"context":"iframe.resize","src":"https://x.example/?exp=cpu&q=\"1\"","height":812}"#]]
            .assert_eq(&embedly_resize_message("https://x.example/?exp=cpu&q=\"1\"", 812));
    }
}
