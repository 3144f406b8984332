//! The two languages the page speaks, and how core says something in both.
//! Core owns what it says to a person as data (`Words`, or a function of
//! `Lang`); the app renders it in the language chosen. Both texts of every
//! `Words` are required by its type, so a missing translation does not
//! compile.

use strum::{IntoStaticStr, VariantArray};

#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, VariantArray, IntoStaticStr, strum::EnumString,
)]
pub enum Lang {
    #[default]
    #[strum(serialize = "en")]
    En,
    #[strum(serialize = "zh-CN")]
    ZhCn,
}

impl Lang {
    /// The first of the browser's preferred languages (`navigator.languages`)
    /// that the page speaks: any Chinese is read as 简体中文, any English as
    /// English; English when none is.
    pub fn from_preferences<'a>(languages: impl IntoIterator<Item = &'a str>) -> Lang {
        languages
            .into_iter()
            .find_map(|tag| {
                let primary = tag.split(['-', '_']).next().unwrap_or_default().to_ascii_lowercase();
                match primary.as_str() {
                    "zh" => Some(Lang::ZhCn),
                    "en" => Some(Lang::En),
                    _ => None,
                }
            })
            .unwrap_or_default()
    }

    /// The value of `<html lang>` and of `lang=` in the address.
    pub fn tag(self) -> &'static str {
        self.into()
    }

    /// The language `tag` names exactly, as the address writes it.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        Lang::VARIANTS.iter().copied().find(|lang| lang.tag() == tag)
    }

    /// The language's own name, as the switch offers it.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }
}

/// One thing said, in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words {
    pub en: &'static str,
    pub zh: &'static str,
}

impl Words {
    pub const fn new(en: &'static str, zh: &'static str) -> Self {
        Words { en, zh }
    }

    pub fn get(self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::ZhCn => self.zh,
        }
    }
}

/// Something said in both languages, composed at run time (a failure with
/// its details). What the browser itself said (an exception's message) is
/// the same in both: the browser words it, not the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub en: String,
    pub zh: String,
}

impl Said {
    pub fn new(en: impl Into<String>, zh: impl Into<String>) -> Self {
        Said { en: en.into(), zh: zh.into() }
    }

    /// Words the page does not own (the browser's), shown as they came.
    pub fn as_given(text: impl Into<String>) -> Self {
        let text = text.into();
        Said { en: text.clone(), zh: text }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::ZhCn => &self.zh,
        }
    }

    /// Several things said as one, each language with its own separator;
    /// `None` when there is nothing to say.
    pub fn joined(parts: &[Said]) -> Option<Said> {
        let join = |part: fn(&Said) -> &str, separator: &str| {
            parts.iter().map(part).collect::<Vec<_>>().join(separator)
        };
        (!parts.is_empty()).then(|| Said::new(join(|said| &said.en, "; "), join(|said| &said.zh, "；")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferences_pick_the_first_language_spoken() {
        let cases: [(&[&str], Lang); 6] = [
            (&[], Lang::En),
            (&["zh-CN", "en"], Lang::ZhCn),
            (&["zh-TW"], Lang::ZhCn),
            (&["fr-FR", "zh"], Lang::ZhCn),
            (&["de", "en-GB", "zh-CN"], Lang::En),
            (&["ja"], Lang::En),
        ];
        for (languages, expected) in cases {
            assert_eq!(Lang::from_preferences(languages.iter().copied()), expected, "{languages:?}");
        }
        assert_eq!(Lang::ZhCn.tag(), "zh-CN");
    }

    #[test]
    fn said_parts_join_with_each_languages_separator() {
        assert_eq!(Said::joined(&[]), None);
        let parts = [Said::new("a", "甲"), Said::new("b", "乙")];
        assert_eq!(Said::joined(&parts), Some(Said::new("a; b", "甲；乙")));
        assert_eq!(Said::joined(&parts[..1]), Some(Said::new("a", "甲")));
    }
}
