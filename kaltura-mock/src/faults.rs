//! Faults on request: an answer delayed, a 5xx status, an HTML error page instead of
//! the API's answer, a connection reset or closed without an answer, an answer cut
//! short. Each rule applies to one action (`media.list`, `multirequest`) or to every
//! request, always, for the first N matching requests, or at random with a
//! probability drawn from the mock's seeded generator (the same seed gives the same
//! faults for the same sequence of requests).

use std::time::Duration;

/// What goes wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The answer is sent after this delay (then answered normally).
    Latency(Duration),
    /// An empty answer with this status (`503`).
    Status(u16),
    /// An HTML error page with this status, as a proxy in front of the server sends.
    Html(u16),
    /// The connection is reset (TCP RST) without an answer.
    Reset,
    /// The connection is closed without an answer.
    Close,
    /// The real answer is announced whole but cut after half its bytes.
    Truncated,
}

impl Fault {
    /// A short name for the request log.
    pub fn name(&self) -> String {
        match self {
            Fault::Latency(d) => format!("latency {}ms", d.as_millis()),
            Fault::Status(s) => format!("status {s}"),
            Fault::Html(s) => format!("html {s}"),
            Fault::Reset => "reset".into(),
            Fault::Close => "close".into(),
            Fault::Truncated => "truncated".into(),
        }
    }

    /// Reads `latency:250`, `status:503`, `html:502`, `reset`, `close`, `truncated`.
    pub fn parse(s: &str) -> Result<Fault, String> {
        let (kind, arg) = s.split_once(':').unwrap_or((s, ""));
        let num = |what: &str| {
            arg.parse::<u64>()
                .map_err(|_| format!("`{s}`: {what} needs a number after `:`"))
        };
        Ok(match kind {
            "latency" => Fault::Latency(Duration::from_millis(num("latency")?)),
            "status" => Fault::Status(num("status")?.clamp(100, 599) as u16),
            "html" => Fault::Html(num("html")?.clamp(100, 599) as u16),
            "reset" => Fault::Reset,
            "close" => Fault::Close,
            "truncated" => Fault::Truncated,
            _ => {
                return Err(format!(
                    "unknown fault `{kind}` (latency:MS, status:CODE, html:CODE, reset, close, truncated)"
                ))
            }
        })
    }
}

/// When a fault applies.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    Always,
    /// The first N matching requests.
    Times(u32),
    /// Each matching request with this probability (0..=1).
    Random(f64),
}

/// A fault and the requests it applies to.
#[derive(Debug, Clone, PartialEq)]
pub struct FaultRule {
    /// `service.action` (case-insensitive), `multirequest`, or `None` for every request.
    pub target: Option<String>,
    pub fault: Fault,
    pub when: When,
}

impl FaultRule {
    /// `fault` on every call of `target` (`media.list`, `multirequest`).
    pub fn on(target: impl Into<String>, fault: Fault) -> FaultRule {
        FaultRule {
            target: Some(target.into()),
            fault,
            when: When::Always,
        }
    }

    /// `fault` on any request.
    pub fn any(fault: Fault) -> FaultRule {
        FaultRule {
            target: None,
            fault,
            when: When::Always,
        }
    }

    /// Only the first `n` matching requests.
    pub fn times(mut self, n: u32) -> Self {
        self.when = When::Times(n);
        self
    }

    /// Each matching request with probability `p`, drawn from the seeded generator.
    pub fn random(mut self, p: f64) -> Self {
        self.when = When::Random(p.clamp(0.0, 1.0));
        self
    }

    /// Reads `[TARGET=]FAULT[@P|xN]`: `media.list=status:503x2`, `reset@0.1`.
    pub fn parse(s: &str) -> Result<FaultRule, String> {
        let (target, rest) = match s.split_once('=') {
            Some((t, r)) => (Some(t.to_string()), r),
            None => (None, s),
        };
        let (fault, when) = if let Some((f, p)) = rest.split_once('@') {
            let p: f64 = p
                .parse()
                .map_err(|_| format!("`{s}`: the probability after `@` is not a number"))?;
            (f, When::Random(p.clamp(0.0, 1.0)))
        } else if let Some((f, n)) = rest
            .rsplit_once('x')
            .filter(|(_, n)| n.parse::<u32>().is_ok())
        {
            (f, When::Times(n.parse().unwrap_or(1)))
        } else {
            (rest, When::Always)
        };
        Ok(FaultRule {
            target,
            fault: Fault::parse(fault)?,
            when,
        })
    }
}

/// splitmix64: a small, seedable generator (the faults need no more).
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The rules with their counters and the generator.
#[derive(Debug)]
pub struct Faults {
    rules: Vec<(FaultRule, u32)>,
    rng: Rng,
}

impl Faults {
    pub fn new(rules: Vec<FaultRule>, seed: u64) -> Faults {
        Faults {
            rules: rules.into_iter().map(|r| (r, 0)).collect(),
            rng: Rng::new(seed),
        }
    }

    /// The faults for a request to `target` (`media.list`, `multirequest`), in rule
    /// order: latency first, then at most one that replaces the answer.
    pub fn pick(&mut self, target: &str) -> Vec<Fault> {
        let mut out = Vec::new();
        for (rule, used) in &mut self.rules {
            if let Some(t) = &rule.target {
                if !t.eq_ignore_ascii_case(target) {
                    continue;
                }
            }
            let applies = match rule.when {
                When::Always => true,
                When::Times(n) => {
                    if *used < n {
                        *used += 1;
                        true
                    } else {
                        false
                    }
                }
                When::Random(p) => self.rng.next_f64() < p,
            };
            if !applies {
                continue;
            }
            let replaces = !matches!(rule.fault, Fault::Latency(_));
            if replaces && out.iter().any(|f| !matches!(f, Fault::Latency(_))) {
                continue;
            }
            out.push(rule.fault.clone());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_from_text() {
        assert_eq!(
            FaultRule::parse("media.list=status:503x2").unwrap(),
            FaultRule::on("media.list", Fault::Status(503)).times(2)
        );
        assert_eq!(
            FaultRule::parse("reset@0.25").unwrap(),
            FaultRule::any(Fault::Reset).random(0.25)
        );
        assert!(FaultRule::parse("media.list=explode").is_err());
        assert!(FaultRule::parse("latency:abc").is_err());
    }

    #[test]
    fn times_counts_and_random_follows_the_seed() {
        let mut f = Faults::new(vec![FaultRule::on("media.get", Fault::Close).times(1)], 1);
        assert_eq!(f.pick("media.list"), vec![]);
        assert_eq!(f.pick("MEDIA.GET"), vec![Fault::Close]);
        assert_eq!(f.pick("media.get"), vec![]);

        let draw = |seed| {
            let mut f = Faults::new(vec![FaultRule::any(Fault::Reset).random(0.5)], seed);
            (0..64).map(|_| f.pick("x").len()).collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        let hits: usize = draw(7).iter().sum();
        assert!((16..48).contains(&hits), "{hits} of 64 at p=0.5");
    }
}
