//! Turns fuzz bytes into the values a structured harness needs, deterministically, so
//! that a corpus file replays to the same run in `cargo test`. Running out of bytes
//! gives zeros and empty strings rather than failing: every input is a valid run.

/// Separates text fields; never part of valid UTF-8, so a field can hold any text.
pub const SEP: u8 = 0xFF;

pub struct Input<'a> {
    data: &'a [u8],
}

#[allow(dead_code)]
impl<'a> Input<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        Input { data }
    }

    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    pub fn bool(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            return 0;
        }
        let v = u16::from_le_bytes([self.byte(), self.byte()]) as usize;
        v % n
    }

    pub fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte();
        }
        u64::from_le_bytes(b)
    }

    pub fn i64(&mut self) -> i64 {
        self.u64() as i64
    }

    /// The bytes up to the next [`SEP`] (or the end), consumed with the separator.
    pub fn field(&mut self) -> &'a [u8] {
        match self.data.iter().position(|&b| b == SEP) {
            Some(at) => {
                let (head, rest) = self.data.split_at(at);
                self.data = &rest[1..];
                head
            }
            None => std::mem::take(&mut self.data),
        }
    }

    /// [`Input::field`] as text (invalid UTF-8 replaced).
    pub fn text(&mut self) -> String {
        String::from_utf8_lossy(self.field()).into_owned()
    }

    /// Everything left.
    pub fn rest(&mut self) -> &'a [u8] {
        std::mem::take(&mut self.data)
    }
}
