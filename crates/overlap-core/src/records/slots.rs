//! Lanes for work that has no thread of its own (a request in flight):
//! each takes the lowest free lane, so no lane ever holds two at once.

/// Which lane (slot) a request occupies: the lowest free one.
#[derive(Clone, Debug, Default)]
pub struct Slots {
    busy: Vec<bool>,
}

impl Slots {
    pub fn take(&mut self) -> u32 {
        match self.busy.iter().position(|busy| !busy) {
            Some(free) => {
                self.busy[free] = true;
                free as u32
            }
            None => {
                self.busy.push(true);
                (self.busy.len() - 1) as u32
            }
        }
    }

    pub fn release(&mut self, slot: u32) {
        if let Some(busy) = self.busy.get_mut(slot as usize) {
            *busy = false;
        }
    }
}
