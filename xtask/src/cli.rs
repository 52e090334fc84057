//! The command line of every xtask command: one argument reader that each command's
//! [`Args`] plugs its flags into (the dispatch from a command's name is the crate
//! root's `main`, which names the commands; this module names none of them). Hand-written
//! rather than clap so that `cargo xtask` builds quickly on a fresh checkout.
//!
//! The rules, the same for every command: arguments are read in order; one starting
//! with `--` is a flag, anything else (`-` included) is positional; a flag's value is
//! the next argument, whatever it is; `-h` or `--help` prints the command's help,
//! unless an argument before it was already refused. A refused argument prints
//! `error: ...` and the help on stderr and exits 2.

use std::process::ExitCode;
use std::slice::Iter;

/// A flag's value: the argument after it. Taking it is what makes the flag take one.
pub struct Value<'a, 'b> {
    flag: &'a str,
    rest: &'a mut Iter<'b, String>,
}

impl Value<'_, '_> {
    pub fn get(self) -> Result<String, String> {
        self.rest
            .next()
            .cloned()
            .ok_or_else(|| format!("{} needs a value", self.flag))
    }
}

/// One command's arguments, gathered as they are read, then checked as a whole.
pub trait Args: Default {
    /// What [`Args::finish`] makes of them.
    type Output;

    /// The command's `--help`, also shown after a refused argument.
    const HELP: &'static str;

    /// Takes the flag `flag` (with its value from `value`, for a flag that has one);
    /// `Ok(false)` when the command has no such flag.
    fn flag(&mut self, flag: &str, value: Value<'_, '_>) -> Result<bool, String>;

    /// Takes a positional argument; by default a command has none.
    fn positional(&mut self, arg: &str) -> Result<(), String> {
        Err(format!("unexpected argument `{arg}`"))
    }

    /// Checks what was read once every argument is (for example that each required
    /// one was given).
    fn finish(self) -> Result<Self::Output, String>;
}

/// Reads `args` as `A`'s; `Ok(None)` when they ask for help.
pub fn parse<A: Args>(args: &[String]) -> Result<Option<A::Output>, String> {
    let mut parsed = A::default();
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            flag if flag.starts_with("--") => {
                let value = Value {
                    flag,
                    rest: &mut rest,
                };
                if !parsed.flag(flag, value)? {
                    return Err(format!("unknown argument `{flag}`"));
                }
            }
            positional => parsed.positional(positional)?,
        }
    }
    parsed.finish().map(Some)
}

/// Reads `args` as `A`'s and runs `execute` on them. Prints the help for `--help`;
/// an error and the help, exit 2, for arguments it refuses; an error, exit 1, for
/// an error of `execute`.
pub fn run<A: Args>(
    args: &[String],
    execute: impl FnOnce(A::Output) -> anyhow::Result<ExitCode>,
) -> ExitCode {
    match parse::<A>(args) {
        Ok(Some(args)) => execute(args).unwrap_or_else(|e| {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }),
        Ok(None) => {
            print!("{}", A::HELP);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}\n\n{}", A::HELP);
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A command with a switch and a flag with a value, and no positional argument.
    #[derive(Default, Debug, PartialEq)]
    struct Demo {
        on: bool,
        name: Option<String>,
    }

    impl Args for Demo {
        type Output = Demo;
        const HELP: &'static str = "usage: demo\n";

        fn flag(&mut self, flag: &str, value: Value<'_, '_>) -> Result<bool, String> {
            match flag {
                "--on" => self.on = true,
                "--name" => self.name = Some(value.get()?),
                _ => return Ok(false),
            }
            Ok(true)
        }

        fn finish(self) -> Result<Demo, String> {
            Ok(self)
        }
    }

    fn parse_demo(list: &[&str]) -> Result<Option<Demo>, String> {
        parse::<Demo>(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn flags_and_values() {
        // A value is the next argument, even one that looks like a flag.
        assert_eq!(
            parse_demo(&["--name", "--on", "--on"]),
            Ok(Some(Demo {
                on: true,
                name: Some("--on".into()),
            }))
        );
        assert_eq!(parse_demo(&["--name"]), Err("--name needs a value".into()));
        assert_eq!(
            parse_demo(&["--name=x"]),
            Err("unknown argument `--name=x`".into())
        );
        // Only `--` starts a flag: `-x` and `-` are positional, which Demo refuses.
        assert_eq!(parse_demo(&["-x"]), Err("unexpected argument `-x`".into()));
        assert_eq!(parse_demo(&["-"]), Err("unexpected argument `-`".into()));
    }

    #[test]
    fn help_unless_an_earlier_argument_was_refused() {
        assert_eq!(parse_demo(&["--on", "-h", "--frob"]), Ok(None));
        assert_eq!(parse_demo(&["--help"]), Ok(None));
        assert!(parse_demo(&["--frob", "--help"]).is_err());
    }
}
