//! Write a synthetic e-mail dump for tests and benchmarks.
//!
//! `cargo run --release --example synth_dump -- OUT_DIR --messages N [--seed S]`
//!
//! Prints what was written ([`trawl::synth::Summary`]) as one line of JSON.
//! Bad arguments: one line on stderr, exit status 2; a failure while
//! writing: one line on stderr, exit status 1.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: synth_dump OUT_DIR --messages N [--seed S]";

struct Args {
    out: PathBuf,
    messages: usize,
    seed: u64,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut out = None;
    let mut messages = None;
    let mut seed = 1;
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        match flag.as_str() {
            "--messages" | "--seed" => {
                let value = inline
                    .or_else(|| args.next())
                    .ok_or_else(|| format!("{flag} needs a value; {USAGE}"))?;
                let bad = || format!("{flag}: not a non-negative integer: {value:?}; {USAGE}");
                if flag == "--messages" {
                    let n = value.parse::<usize>().map_err(|_| bad())?;
                    if n > trawl::synth::MAX_MESSAGES {
                        return Err(format!(
                            "--messages: at most {}",
                            trawl::synth::MAX_MESSAGES
                        ));
                    }
                    messages = Some(n);
                } else {
                    seed = value.parse::<u64>().map_err(|_| bad())?;
                }
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            f if f.starts_with('-') && f.len() > 1 => {
                return Err(format!("unknown option {f}; {USAGE}"));
            }
            _ if out.is_none() => out = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg:?}; {USAGE}")),
        }
    }
    Ok(Args {
        out: out.ok_or_else(|| format!("missing OUT_DIR; {USAGE}"))?,
        messages: messages.ok_or_else(|| format!("missing --messages N; {USAGE}"))?,
        seed,
    })
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("synth_dump: {e}");
            return ExitCode::from(2);
        }
    };
    match trawl::synth::generate(&args.out, args.messages, args.seed) {
        Ok(summary) => {
            println!("{}", summary.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => {
            let out = args.out.display().to_string();
            let msg = e.to_string();
            if msg.contains(&out) {
                eprintln!("synth_dump: {msg}");
            } else {
                eprintln!("synth_dump: {out}: {msg}");
            }
            ExitCode::from(1)
        }
    }
}
