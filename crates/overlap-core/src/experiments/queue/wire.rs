//! An item as bytes: its key, then a payload the producer fills from the
//! key, so that the consumer can tell an item damaged or mixed up on the
//! way. Threads and coroutines move these bytes; isolated workers copy them.

use thiserror::Error;

use crate::experiments::queue::log::ItemKey;
use crate::lang::Said;

/// Words of payload: 4 KiB, enough for a copy to cost something measurable.
pub const PAYLOAD_WORDS: u32 = 1024;
const HEADER_BYTES: usize = 8;
pub const ITEM_BYTES: usize = HEADER_BYTES + PAYLOAD_WORDS as usize * 4;

#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum ItemError {
    #[error("an item of {0} bytes, not {ITEM_BYTES}")]
    WrongLength(usize),
    #[error("item {seq} of producer {producer} arrived damaged (word {word})", producer = .key.producer + 1, seq = .key.seq + 1)]
    Damaged { key: ItemKey, word: u32 },
}

impl ItemError {
    /// The error as the page says it.
    pub fn said(&self) -> Said {
        match self {
            ItemError::WrongLength(length) => Said::new(
                format!("an item of {length} bytes arrived, not {ITEM_BYTES}"),
                format!("收到一个 {length} 字节的条目，而不是 {ITEM_BYTES} 字节"),
            ),
            ItemError::Damaged { key, word } => {
                let (producer, seq) = (key.producer + 1, key.seq + 1);
                Said::new(
                    format!("item {seq} of producer {producer} arrived damaged (word {word})"),
                    format!("生产者 {producer} 的第 {seq} 个条目在途中损坏（第 {word} 个字）"),
                )
            }
        }
    }
}

pub fn encode_item(key: ItemKey) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(ITEM_BYTES);
    bytes.extend_from_slice(&key.producer.to_le_bytes());
    bytes.extend_from_slice(&key.seq.to_le_bytes());
    for word in 0..PAYLOAD_WORDS {
        bytes.extend_from_slice(&key.payload_word(word).to_le_bytes());
    }
    bytes
}

/// The item's key, once every payload word is checked.
pub fn decode_item(bytes: &[u8]) -> Result<ItemKey, ItemError> {
    if bytes.len() != ITEM_BYTES {
        return Err(ItemError::WrongLength(bytes.len()));
    }
    let word_at = |offset: usize| {
        u32::from_le_bytes([bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]])
    };
    let key = ItemKey { producer: word_at(0), seq: word_at(4) };
    for word in 0..PAYLOAD_WORDS {
        if word_at(HEADER_BYTES + word as usize * 4) != key.payload_word(word) {
            return Err(ItemError::Damaged { key, word });
        }
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_read_back_and_damage_is_caught() {
        let key = ItemKey { producer: 2, seq: 41 };
        let mut bytes = encode_item(key);
        assert_eq!(bytes.len(), ITEM_BYTES);
        assert_eq!(decode_item(&bytes), Ok(key));
        bytes[HEADER_BYTES + 4 * 7] ^= 1;
        assert_eq!(decode_item(&bytes), Err(ItemError::Damaged { key, word: 7 }));
        assert_eq!(
            decode_item(&bytes).map_err(|error| error.to_string()),
            Err("item 42 of producer 3 arrived damaged (word 7)".to_string())
        );
        assert_eq!(decode_item(&bytes[..10]), Err(ItemError::WrongLength(10)));
        let said = ItemError::Damaged { key, word: 7 }.said();
        assert_eq!(said.zh, "生产者 3 的第 42 个条目在途中损坏（第 7 个字）");
    }
}
