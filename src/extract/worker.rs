//! Extraction in a separate process, so that a hostile document cannot
//! take trawl down with it.
//!
//! A PDF whose streams inflate to gigabytes, or a spreadsheet that sends a
//! format crate into a loop, is a problem a thread cannot solve: a thread
//! cannot be stopped, and it shares the process's memory. So `trawl` runs
//! `trawl extract-worker` children: each caps its own address space at
//! [`MAX_MEMORY`] and extracts one document at a time, read from its stdin
//! and answered on its stdout. The parent gives up on an answer after the
//! time limit and kills the child; a child that runs out of memory dies
//! alone, and its document gets a one-line reason. Idle children are kept
//! for the next document.
//!
//! Only a program that called [`use_worker_binary`] (the `trawl` binary
//! does, at start) runs children; a library user or a test that did not
//! extracts in-process, within the same time limit, as before.

use std::io::{self, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use super::{extract, extract_bounded, Extracted, MAX_INPUT_BYTES};

/// The most address space one extraction child may use.
pub const MAX_MEMORY: u64 = 1 << 30;

/// The subcommand a child is started with (hidden from `--help`).
pub const SUBCOMMAND: &str = "extract-worker";

/// Longest file name a request may carry.
const MAX_NAME: usize = 4096;

/// What a child answers: the text, or why there is none.
pub type Answer = Result<Extracted, String>;

static WORKER_EXE: OnceLock<PathBuf> = OnceLock::new();

/// Extract in children of `exe` (the `trawl` binary) from now on.
pub fn use_worker_binary(exe: PathBuf) {
    let _ = WORKER_EXE.set(exe);
}

/// Extract `bytes` (named `name` in the dump): in a child process when
/// [`use_worker_binary`] was called, else in a thread of this one; either
/// way given up after `limit`.
pub fn extract_isolated(bytes: Vec<u8>, name: String, limit: Duration) -> Answer {
    match WORKER_EXE.get() {
        Some(exe) => pool().extract(exe, &bytes, &name, limit),
        None => extract_bounded(bytes, name, limit).map_err(|e| e.to_string()),
    }
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        idle: Mutex::new(Vec::new()),
    })
}

struct Pool {
    idle: Mutex<Vec<Worker>>,
}

impl Pool {
    fn extract(&self, exe: &PathBuf, bytes: &[u8], name: &str, limit: Duration) -> Answer {
        let reused = self.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut worker = match reused {
            Some(w) => w,
            None => match Worker::start(exe) {
                Ok(w) => w,
                // The binary may have been replaced or removed while
                // running: extract here rather than not at all.
                Err(_) => {
                    return extract_bounded(bytes.to_vec(), name.to_string(), limit)
                        .map_err(|e| e.to_string())
                }
            },
        };
        if worker.send(bytes, name).is_err() {
            return Err(worker.died());
        }
        match worker.replies.recv_timeout(limit) {
            Ok(Ok(answer)) => {
                if let Ok(mut idle) = self.idle.lock() {
                    idle.push(worker);
                }
                answer
            }
            Ok(Err(_)) | Err(RecvTimeoutError::Disconnected) => Err(worker.died()),
            Err(RecvTimeoutError::Timeout) => {
                drop(worker); // killed and reaped
                Err(super::ExtractError::TimedOut(limit.as_secs()).to_string())
            }
        }
    }
}

/// One child and the thread reading its answers.
struct Worker {
    child: Child,
    stdin: ChildStdin,
    replies: Receiver<io::Result<Answer>>,
}

impl Worker {
    fn start(exe: &PathBuf) -> io::Result<Worker> {
        let mut child = Command::new(exe)
            .arg(SUBCOMMAND)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            // A dying child's last words must not scribble on the screen.
            .stderr(Stdio::null())
            .spawn()?;
        let (Some(stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(io::Error::other("no pipes to the extractor"));
        };
        let (tx, replies) = mpsc::channel();
        std::thread::Builder::new()
            .name("extract-reply".into())
            .spawn(move || {
                let mut out = BufReader::new(stdout);
                loop {
                    let reply = read_answer(&mut out);
                    let failed = reply.is_err();
                    if tx.send(reply).is_err() || failed {
                        return;
                    }
                }
            })?;
        Ok(Worker {
            child,
            stdin,
            replies,
        })
    }

    fn send(&mut self, bytes: &[u8], name: &str) -> io::Result<()> {
        write_request(&mut self.stdin, bytes, name)
    }

    /// Why the child stopped answering (it is reaped here).
    fn died(mut self) -> String {
        let _ = self.child.kill();
        let status = self.child.wait();
        died_because(status.ok())
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing stdin ends the child's loop; kill in case it is busy.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn died_because(status: Option<std::process::ExitStatus>) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        // An allocation the memory cap refuses aborts the child.
        if let Some(6 | 9) = status.and_then(|s| s.signal()) {
            return format!(
                "needed more than {} MB of memory to read; gave up",
                MAX_MEMORY >> 20
            );
        }
    }
    match status {
        Some(s) => format!("the extractor crashed on this file ({s})"),
        None => "the extractor crashed on this file".to_string(),
    }
}

fn write_request(to: &mut impl Write, bytes: &[u8], name: &str) -> io::Result<()> {
    let name = crate::model::prefix_within(name, MAX_NAME);
    let name_len = u32::try_from(name.len()).map_err(io::Error::other)?;
    to.write_all(&name_len.to_le_bytes())?;
    to.write_all(name.as_bytes())?;
    to.write_all(&(bytes.len() as u64).to_le_bytes())?;
    to.write_all(bytes)?;
    to.flush()
}

/// A request, or `None` at the end of input.
fn read_request(from: &mut impl Read) -> io::Result<Option<(String, Vec<u8>)>> {
    let mut len = [0u8; 4];
    match from.read_exact(&mut len) {
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        other => other?,
    }
    let name_len = u32::from_le_bytes(len) as usize;
    if name_len > MAX_NAME {
        return Err(io::Error::other("name too long"));
    }
    let mut name = vec![0u8; name_len];
    from.read_exact(&mut name)?;
    let mut len = [0u8; 8];
    from.read_exact(&mut len)?;
    let size = u64::from_le_bytes(len);
    // One byte over the extraction limit is enough for it to say so.
    let size = usize::try_from(size)
        .ok()
        .filter(|n| *n <= MAX_INPUT_BYTES + 1)
        .ok_or_else(|| io::Error::other("request too large"))?;
    let mut bytes = vec![0u8; size];
    from.read_exact(&mut bytes)?;
    Ok(Some((String::from_utf8_lossy(&name).into_owned(), bytes)))
}

fn write_answer(to: &mut impl Write, answer: &Answer) -> io::Result<()> {
    let wire = postcard::to_stdvec(answer).map_err(io::Error::other)?;
    to.write_all(&(wire.len() as u64).to_le_bytes())?;
    to.write_all(&wire)?;
    to.flush()
}

fn read_answer(from: &mut impl Read) -> io::Result<Answer> {
    let mut len = [0u8; 8];
    from.read_exact(&mut len)?;
    let size = usize::try_from(u64::from_le_bytes(len))
        .ok()
        .filter(|n| *n <= 4 * super::MAX_TEXT_BYTES + (1 << 20))
        .ok_or_else(|| io::Error::other("answer too large"))?;
    let mut wire = vec![0u8; size];
    from.read_exact(&mut wire)?;
    postcard::from_bytes(&wire).map_err(io::Error::other)
}

/// The child's side (`trawl extract-worker`): cap memory, then answer
/// requests on stdin until it closes.
pub fn serve() -> io::Result<()> {
    // Without the cap the child still isolates crashes and hangs.
    let _ = rlimit::setrlimit(rlimit::Resource::AS, MAX_MEMORY, MAX_MEMORY);
    super::quiet_panics();
    // A big stack: format crates recurse into nested objects.
    let work = std::thread::Builder::new()
        .name(super::EXTRACT_THREAD.into())
        .stack_size(64 << 20)
        .spawn(|| -> io::Result<()> {
            let mut input = io::stdin().lock();
            let mut output = io::stdout().lock();
            while let Some((name, bytes)) = read_request(&mut input)? {
                let answer = extract(&bytes, &name).map_err(|e| e.to_string());
                drop(bytes);
                write_answer(&mut output, &answer)?;
            }
            Ok(())
        })?;
    work.join()
        .unwrap_or_else(|_| Err(io::Error::other("the extractor crashed")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_and_answers_go_through_a_pipe_intact() {
        let mut wire = Vec::new();
        write_request(&mut wire, b"a,b\n1,2\n", "t\u{e9}st.csv").expect("wire");
        write_request(&mut wire, b"", "empty").expect("wire");
        let mut r = wire.as_slice();
        let (name, bytes) = read_request(&mut r).expect("read").expect("a request");
        assert_eq!(
            (name.as_str(), bytes.as_slice()),
            ("t\u{e9}st.csv", &b"a,b\n1,2\n"[..])
        );
        assert_eq!(
            read_request(&mut r).expect("read").expect("a request").0,
            "empty"
        );
        assert!(read_request(&mut r).expect("wire").is_none());

        let answer: Answer = extract(&bytes, &name).map_err(|e| e.to_string());
        let mut wire = Vec::new();
        write_answer(&mut wire, &answer).expect("wire");
        write_answer(&mut wire, &Err("no text".into())).expect("wire");
        let mut r = wire.as_slice();
        assert_eq!(read_answer(&mut r).expect("wire"), answer);
        assert_eq!(
            read_answer(&mut r).expect("wire"),
            Err("no text".to_string())
        );
        assert!(read_answer(&mut r).is_err());
    }

    #[test]
    fn a_request_claiming_to_be_huge_is_refused_before_allocating() {
        let mut wire = Vec::new();
        wire.extend_from_slice(&1u32.to_le_bytes());
        wire.push(b'x');
        wire.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(read_request(&mut wire.as_slice()).is_err());
        let mut wire = Vec::new();
        wire.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(read_request(&mut wire.as_slice()).is_err());
    }
}
