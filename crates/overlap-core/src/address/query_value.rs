//! The closed enums that travel in the query string. Their value tables
//! come from strum's derives (`VariantArray` lists the values in order,
//! `IntoStaticStr` gives each its text); this trait only reads them back.

use strum::VariantArray;

/// Every enum with a value list and a text per value is a query value.
pub trait QueryValue: Copy + PartialEq + VariantArray + Into<&'static str> + 'static {
    /// The value's text in the address.
    fn text(self) -> &'static str {
        self.into()
    }

    fn from_text(text: &str) -> Option<Self> {
        Self::VARIANTS.iter().copied().find(|value| value.text() == text)
    }

    /// Every value's text, in the order the page lists them.
    fn texts() -> Vec<&'static str> {
        Self::VARIANTS.iter().map(|value| value.text()).collect()
    }
}

impl<T: Copy + PartialEq + VariantArray + Into<&'static str> + 'static> QueryValue for T {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiments::cpu::CpuMode;
    use crate::experiments::fetch::FetchTarget;

    #[test]
    fn texts_read_back_to_their_values() {
        for mode in CpuMode::VARIANTS {
            assert_eq!(CpuMode::from_text(mode.text()), Some(*mode));
        }
        assert_eq!(FetchTarget::from_text("ftp"), None);
        assert_eq!(FetchTarget::texts(), ["server", "sw", "preset", "urls"]);
    }
}
