//! The bytes a task and its result travel as between memories (isolated
//! workers have no shared memory: everything is copied, as Python pickles
//! arguments and results for a process pool).

use crate::experiments::cpu::{TaskInput, TaskOutput};

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("a message of {0} bytes is too short")]
    TooShort(usize),
    #[error("unknown message tag {0}")]
    UnknownTag(u8),
}

pub fn encode_input(input: &TaskInput) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(13);
    match *input {
        TaskInput::SumOfSquares { n } => push(&mut bytes, 1, &[n]),
        TaskInput::Prime { n } => push(&mut bytes, 2, &[n]),
        TaskInput::BlurBand { size, first_row, rows } => {
            push(&mut bytes, 3, &[u64::from(size), u64::from(first_row), u64::from(rows)])
        }
        TaskInput::MandelbrotBand { size, first_row, rows } => {
            push(&mut bytes, 4, &[u64::from(size), u64::from(first_row), u64::from(rows)])
        }
    }
    bytes
}

pub fn decode_input(bytes: &[u8]) -> Result<TaskInput, WireError> {
    let (&tag, rest) = bytes.split_first().ok_or(WireError::TooShort(0))?;
    let word = |index: usize| -> Result<u64, WireError> {
        rest.get(index * 8..index * 8 + 8)
            .and_then(|chunk| chunk.try_into().ok())
            .map(u64::from_le_bytes)
            .ok_or(WireError::TooShort(bytes.len()))
    };
    // Band fields were u32 when encoded; a corrupt value is cut, not trusted.
    let small = |index: usize| word(index).map(|value| value.min(u64::from(u32::MAX)) as u32);
    Ok(match tag {
        1 => TaskInput::SumOfSquares { n: word(0)? },
        2 => TaskInput::Prime { n: word(0)? },
        3 => TaskInput::BlurBand { size: small(0)?, first_row: small(1)?, rows: small(2)? },
        4 => TaskInput::MandelbrotBand { size: small(0)?, first_row: small(1)?, rows: small(2)? },
        other => return Err(WireError::UnknownTag(other)),
    })
}

pub fn encode_output(output: &TaskOutput) -> Vec<u8> {
    match output {
        TaskOutput::Sum(sum) => [&[1u8][..], &sum.to_le_bytes()].concat(),
        TaskOutput::Prime(is_prime) => vec![2, u8::from(*is_prime)],
        TaskOutput::Pixels(pixels) => {
            let mut bytes = Vec::with_capacity(pixels.len() + 1);
            bytes.push(3);
            bytes.extend_from_slice(pixels);
            bytes
        }
    }
}

pub fn decode_output(bytes: &[u8]) -> Result<TaskOutput, WireError> {
    let (&tag, rest) = bytes.split_first().ok_or(WireError::TooShort(0))?;
    Ok(match tag {
        1 => TaskOutput::Sum(u128::from_le_bytes(
            rest.get(..16).and_then(|chunk| chunk.try_into().ok()).ok_or(WireError::TooShort(bytes.len()))?,
        )),
        2 => TaskOutput::Prime(*rest.first().ok_or(WireError::TooShort(bytes.len()))? != 0),
        3 => TaskOutput::Pixels(rest.to_vec()),
        other => return Err(WireError::UnknownTag(other)),
    })
}

fn push(bytes: &mut Vec<u8>, tag: u8, words: &[u64]) {
    bytes.push(tag);
    for word in words {
        bytes.extend_from_slice(&word.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;
    use crate::experiments::cpu::{Workload, task_inputs};
    use proptest::prelude::*;

    #[test]
    fn every_task_round_trips() {
        for &workload in Workload::VARIANTS {
            for input in task_inputs(workload, workload.bounds().default_size, 5) {
                assert_eq!(decode_input(&encode_input(&input)), Ok(input));
            }
        }
        for output in
            [TaskOutput::Sum(u128::MAX), TaskOutput::Prime(true), TaskOutput::Pixels(vec![1, 2, 3, 4])]
        {
            assert_eq!(decode_output(&encode_output(&output)), Ok(output));
        }
    }

    #[test]
    fn bad_bytes_are_errors() {
        assert_eq!(decode_input(&[]), Err(WireError::TooShort(0)));
        assert_eq!(decode_input(&[1, 2, 3]), Err(WireError::TooShort(3)));
        assert_eq!(decode_input(&[9; 9]), Err(WireError::UnknownTag(9)));
        assert_eq!(decode_output(&[2]), Err(WireError::TooShort(1)));
    }

    proptest! {
        #[test]
        fn decoding_any_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = decode_input(&bytes);
            let _ = decode_output(&bytes);
        }
    }
}
