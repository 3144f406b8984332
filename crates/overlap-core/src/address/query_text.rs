//! The text form of a URL query string (`?a=1&b=two%20words`): splitting it
//! into decoded key/value pairs and joining pairs back into an encoded query.
//! What the keys mean is `page_state`'s business, not this module's.

/// Splits a query string (with or without its leading `?`) into decoded
/// pairs, in order. `+` is a space, `%XX` a byte; a malformed `%` escape is
/// kept as typed, so that the value the user wrote is never lost.
pub fn parse_pairs(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((key, value)) => (decode_component(key), decode_component(value)),
            None => (decode_component(part), String::new()),
        })
        .collect()
}

/// Joins pairs into a query string with its leading `?`, or an empty string
/// when there are no pairs.
pub fn join_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let joined: Vec<String> = pairs
        .into_iter()
        .map(|(key, value)| format!("{}={}", encode_component(key), encode_component(&value)))
        .collect();
    if joined.is_empty() { String::new() } else { format!("?{}", joined.join("&")) }
}

fn decode_component(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        match bytes[index] {
            b'+' => {
                decoded.push(b' ');
                index += 1;
            }
            b'%' => match (bytes.get(index + 1), bytes.get(index + 2)) {
                (Some(&high), Some(&low)) if high.is_ascii_hexdigit() && low.is_ascii_hexdigit() => {
                    decoded.push(hex_value(high) * 16 + hex_value(low));
                    index += 3;
                }
                _ => {
                    decoded.push(b'%');
                    index += 1;
                }
            },
            byte => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

fn encode_component(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~' | b',') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;
    use proptest::prelude::*;

    #[test]
    fn parses_the_forms_people_type() {
        let cases = [
            "",
            "?",
            "?exp=cpu",
            "exp=cpu&&mode=threads&",
            "?flag&k=",
            "?q=two+words&r=a%20b%2Bc",
            "?bad=%zz&cut=%4",
            "?utf=%E4%B8%AD",
            "?eq=a=b",
        ];
        let rendered: Vec<String> =
            cases.iter().map(|case| format!("{case:?} -> {:?}", parse_pairs(case))).collect();
        expect![[r#"
            "" -> []
            "?" -> []
            "?exp=cpu" -> [("exp", "cpu")]
            "exp=cpu&&mode=threads&" -> [("exp", "cpu"), ("mode", "threads")]
            "?flag&k=" -> [("flag", ""), ("k", "")]
            "?q=two+words&r=a%20b%2Bc" -> [("q", "two words"), ("r", "a b+c")]
            "?bad=%zz&cut=%4" -> [("bad", "%zz"), ("cut", "%4")]
            "?utf=%E4%B8%AD" -> [("utf", "中")]
            "?eq=a=b" -> [("eq", "a=b")]"#]]
        .assert_eq(&rendered.join("\n"));
    }

    #[test]
    fn joins_pairs_with_escapes() {
        assert_eq!(join_pairs([]), "");
        assert_eq!(
            join_pairs([("exp", "cpu".to_string()), ("q", "a b&c=d".to_string())]),
            "?exp=cpu&q=a%20b%26c%3Dd"
        );
    }

    proptest! {
        #[test]
        fn join_then_parse_gives_the_pairs_back(
            pairs in proptest::collection::vec(("[a-z_]{1,8}", "\\PC{0,12}"), 0..6)
        ) {
            let query = join_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.clone())));
            prop_assert_eq!(parse_pairs(&query), pairs);
        }

        #[test]
        fn parsing_never_panics(query in "\\PC{0,40}") {
            let _ = parse_pairs(&query);
        }
    }
}
