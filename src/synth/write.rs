//! Writing: the containers dealt to a few threads, each rendering its messages
//! one at a time straight to maildir files, `.eml` files or mboxrd files.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use super::dates::write_asctime;
use super::headers::HOSTS;
use super::places::{Place, FOLDERS};
use super::plan::{Plan, PHANTOM};
use super::random::{hash, K_PLACE};
use super::render::Renderer;

#[derive(Debug, Default)]
pub(super) struct Written {
    pub(super) files: usize,
    pub(super) bytes: u64,
    pub(super) attachments: usize,
    pub(super) with_attachments: usize,
    pub(super) maildir: usize,
    pub(super) mbox: usize,
    pub(super) eml: usize,
    pub(super) mbox_files: usize,
}

impl Written {
    fn add(&mut self, o: &Written) {
        self.files += o.files;
        self.bytes += o.bytes;
        self.attachments += o.attachments;
        self.with_attachments += o.with_attachments;
        self.maildir += o.maildir;
        self.mbox += o.mbox;
        self.eml += o.eml;
        self.mbox_files += o.mbox_files;
    }
}

/// Writes every container, split over a few threads (output does not
/// depend on how: each message is a pure function of the plan).
pub(super) fn write_all(plan: &Plan, out: &Path) -> io::Result<Written> {
    let mut order: Vec<u32> = (0..plan.entries.len() as u32)
        .filter(|&e| !plan.entries[e as usize].has(PHANTOM))
        .collect();
    order.sort_unstable_by_key(|&e| {
        let en = &plan.entries[e as usize];
        (en.container, en.date, e)
    });
    // (container, messages) runs, biggest first, dealt to the least loaded.
    let mut jobs: Vec<&[u32]> = order
        .chunk_by(|a, b| plan.entries[*a as usize].container == plan.entries[*b as usize].container)
        .collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.len()));
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .clamp(1, 4);
    let mut shares: Vec<Vec<&[u32]>> = vec![Vec::new(); threads];
    let mut load = vec![0usize; threads];
    for job in jobs {
        let k = (0..threads).min_by_key(|&k| load[k]).unwrap_or(0);
        load[k] += job.len();
        shares[k].push(job);
    }
    let results: Vec<io::Result<Written>> = std::thread::scope(|s| {
        let handles: Vec<_> = shares
            .iter()
            .map(|share| {
                s.spawn(move || {
                    let mut w = Writer::new(plan, out);
                    for job in share {
                        w.container(job)?;
                    }
                    Ok(w.stats)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(io::Error::other("writer thread panicked")))
            })
            .collect()
    });
    let mut total = Written::default();
    for r in results {
        total.add(&r?);
    }
    Ok(total)
}

struct Writer<'p> {
    plan: &'p Plan,
    root: &'p Path,
    renderer: Renderer<'p>,
    buf: Vec<u8>,
    stats: Written,
}

impl<'p> Writer<'p> {
    fn new(plan: &'p Plan, root: &'p Path) -> Self {
        Writer {
            plan,
            root,
            renderer: Renderer::new(plan),
            buf: Vec::with_capacity(512 * 1024),
            stats: Written::default(),
        }
    }

    fn render(&mut self, e: u32) {
        let attachments = self.renderer.render(e, &mut self.buf);
        self.stats.attachments += attachments;
        self.stats.with_attachments += usize::from(attachments > 0);
    }

    fn container(&mut self, entries: &[u32]) -> io::Result<()> {
        let plan = self.plan;
        let Some(&first) = entries.first() else {
            return Ok(());
        };
        let place = plan.entries[first as usize].container;
        match &plan.places[place as usize] {
            Place::Maildir { user, folder } => {
                let dir = self
                    .root
                    .join("mail")
                    .join(plan.login(*user))
                    .join(FOLDERS[*folder]);
                for sub in ["cur", "new", "tmp"] {
                    fs::create_dir_all(dir.join(sub))?;
                }
                for &e in entries {
                    self.render(e);
                    let name = maildir_name(plan, e, *folder);
                    self.write_file(&dir.join(name))?;
                    self.stats.maildir += 1;
                }
            }
            Place::Eml(rel) => {
                let dir = self.root.join(rel);
                fs::create_dir_all(&dir)?;
                for (n, &e) in entries.iter().enumerate() {
                    self.render(e);
                    self.write_file(&dir.join(format!("{}.eml", n + 1)))?;
                    self.stats.eml += 1;
                }
            }
            Place::Mbox(rel) => {
                let path = self.root.join(rel);
                if let Some(parent) = path.parent() {
                    fs::create_dir_all(parent)?;
                }
                let mut file = BufWriter::with_capacity(1 << 20, File::create(&path)?);
                let mut line = Vec::with_capacity(128);
                for &e in entries {
                    self.render(e);
                    line.clear();
                    line.extend_from_slice(b"From ");
                    line.extend_from_slice(&self.renderer.envelope);
                    line.push(b' ');
                    write_asctime(&mut line, plan.utc(e) + 1 + i64::from(e % 40));
                    line.push(b'\n');
                    file.write_all(&line)?;
                    self.stats.bytes += line.len() as u64;
                    self.stats.bytes += write_mboxrd(&mut file, &self.buf)?;
                    file.write_all(b"\n")?;
                    self.stats.bytes += 1;
                    self.stats.mbox += 1;
                }
                file.flush()?;
                self.stats.files += 1;
                self.stats.mbox_files += 1;
            }
        }
        Ok(())
    }

    fn write_file(&mut self, path: &Path) -> io::Result<()> {
        fs::write(path, &self.buf)?;
        self.stats.files += 1;
        self.stats.bytes += self.buf.len() as u64;
        Ok(())
    }
}

/// A unique maildir file name: in `cur/` with `:2,S`, or (recent inbox
/// mail) in `new/` without flags.
fn maildir_name(plan: &Plan, e: u32, folder: usize) -> PathBuf {
    let h = hash(plan.seed, K_PLACE, u64::from(e) ^ 0xABCD_0000_0000);
    let new = folder == 0 && h.is_multiple_of(10);
    let name = format!(
        "{}.M{}P{}Q{e}.{}",
        plan.utc(e),
        (h >> 8) % 1_000_000,
        1_000 + (h >> 28) % 30_000,
        HOSTS[(h >> 50) as usize % HOSTS.len()]
    );
    if new {
        Path::new("new").join(name)
    } else {
        Path::new("cur").join(format!("{name}:2,S"))
    }
}

/// Writes `msg` mboxrd-quoted (`>*From ` lines get one more `>`), making
/// sure it ends with a newline. Returns the bytes written.
fn write_mboxrd(out: &mut impl Write, msg: &[u8]) -> io::Result<u64> {
    let mut n = 0u64;
    for line in msg.split_inclusive(|&b| b == b'\n') {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if line[quotes..].starts_with(b"From ") {
            out.write_all(b">")?;
            n += 1;
        }
        out.write_all(line)?;
        n += line.len() as u64;
    }
    if !msg.ends_with(b"\n") {
        out.write_all(b"\n")?;
        n += 1;
    }
    Ok(n)
}
