//! An Outlook message attached to an Outlook message (MS-OXMSG 2.2.2.1,
//! attach method 5) is not a stream of bytes but a storage inside the
//! outer file, so `msg_parser` gives it no payload. It is made into a file
//! of its own here: the storage is copied into a new compound file as its
//! root, as Outlook does when such a message is dragged out.
//!
//! The copy is byte-for-byte deterministic (the storages keep their own
//! timestamps), so the message has the same SHA-256 on every index and
//! tags on it stay. Two things differ between an embedded message and a
//! top-level one and are adjusted: the fixed property stream's header is
//! 24 bytes instead of 32, and the named-property map lives only in the
//! outer file's root.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

type Cfb<F> = cfb::CompoundFile<F>;

/// Storage name prefix of an attachment (followed by 8 hex digits).
const ATTACH_PREFIX: &str = "__attach_version1.0_#";
/// The storage inside an attachment that holds an embedded message.
const EMBEDDED: &str = "__substg1.0_3701000D";
const PROPERTIES: &str = "__properties_version1.0";
const NAMEID: &str = "__nameid_version1.0";
/// Header of the property stream: top-level message / embedded message.
const TOP_HEADER: usize = 32;
const EMBEDDED_HEADER: usize = 24;

/// The Outlook message embedded as attachment number `index` (counted as
/// `msg_parser` counts them: attachment storages in order of their number)
/// of the Outlook file `outer`, as a file of its own; `None` if that
/// attachment holds no embedded message or the file is damaged.
pub fn extract(outer: &[u8], index: usize) -> Option<Vec<u8>> {
    let mut src = Cfb::open(Cursor::new(outer)).ok()?;
    let storage = attachment_storage(&src, index)?.join(EMBEDDED);
    if !src.is_storage(&storage) {
        return None;
    }
    let mut dst = Cfb::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).ok()?;
    let mut copier = Copier {
        budget: outer.len() as u64,
    };
    copier
        .tree(&mut src, &storage, &mut dst, Path::new("/"), 0)
        .ok()?;
    let nameid = Path::new("/").join(NAMEID);
    if !dst.exists(&nameid) && src.is_storage(&nameid) {
        let entry = src.entry(&nameid).ok()?;
        storage_like(&mut dst, &nameid, &entry).ok()?;
        copier.tree(&mut src, &nameid, &mut dst, &nameid, 1).ok()?;
    }
    dst.flush().ok()?;
    Some(dst.into_inner().into_inner())
}

/// The path of attachment storage number `index`, in order of number.
fn attachment_storage<F: Read + std::io::Seek>(src: &Cfb<F>, index: usize) -> Option<PathBuf> {
    let mut found: Vec<(u32, PathBuf)> = src
        .read_root_storage()
        .filter(cfb::Entry::is_storage)
        .filter_map(|e| {
            let hex = e.name().strip_prefix(ATTACH_PREFIX)?;
            Some((u32::from_str_radix(hex, 16).ok()?, e.path().to_path_buf()))
        })
        .collect();
    found.sort();
    found.into_iter().nth(index).map(|(_, path)| path)
}

/// Create storage `path` in `dst` with the timestamps of `like` (not the
/// time of the copy: the bytes must not depend on when they were made).
fn storage_like(
    dst: &mut Cfb<Cursor<Vec<u8>>>,
    path: &Path,
    like: &cfb::Entry,
) -> std::io::Result<()> {
    dst.create_storage(path)?;
    dst.set_created_time(path, like.created())?;
    dst.set_modified_time(path, like.modified())
}

/// Copies storages from one compound file into another, within a budget:
/// an honest embedded message is smaller than the file it is in, so no
/// more than that many bytes are copied (a hostile file could point many
/// streams at the same sectors), and storages nest at most [`MAX_LEVELS`].
struct Copier {
    budget: u64,
}

const MAX_LEVELS: usize = 64;

impl Copier {
    /// Copy everything below storage `from` of `src` to storage `to` of
    /// `dst` (which exists). `message_root`: `from` is the embedded message
    /// itself, whose property stream gets a top-level header.
    fn tree<F: Read + std::io::Seek>(
        &mut self,
        src: &mut Cfb<F>,
        from: &Path,
        dst: &mut Cfb<Cursor<Vec<u8>>>,
        to: &Path,
        level: usize,
    ) -> std::io::Result<()> {
        if level > MAX_LEVELS {
            return Err(std::io::Error::other("storages nested too deep"));
        }
        let entries: Vec<cfb::Entry> = src.read_storage(from)?.collect();
        for entry in entries {
            let target = to.join(entry.name());
            if entry.is_storage() {
                storage_like(dst, &target, &entry)?;
                self.tree(src, entry.path(), dst, &target, level + 1)?;
                continue;
            }
            let mut data = Vec::new();
            src.open_stream(entry.path())?
                .take(self.budget + 1)
                .read_to_end(&mut data)?;
            let len = data.len() as u64;
            if len > self.budget {
                return Err(std::io::Error::other("larger than the file it is in"));
            }
            self.budget -= len;
            if level == 0 && entry.name() == PROPERTIES && data.len() >= EMBEDDED_HEADER {
                let padding = [0u8; TOP_HEADER - EMBEDDED_HEADER];
                data.splice(EMBEDDED_HEADER..EMBEDDED_HEADER, padding);
            }
            dst.create_new_stream(&target)?.write_all(&data)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }

    /// An outer Outlook file whose attachment 1 holds a message with
    /// `subject`, its storages nested `extra_levels` deeper still.
    fn outer(subject: &str, extra_levels: usize) -> Vec<u8> {
        let mut f =
            Cfb::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("cfb");
        let write = |f: &mut Cfb<Cursor<Vec<u8>>>, path: &str, data: &[u8]| {
            f.create_new_stream(path)
                .expect("stream")
                .write_all(data)
                .expect("write");
        };
        write(&mut f, "/__substg1.0_0037001F", &utf16("outer"));
        f.create_storage("/__nameid_version1.0").expect("storage");
        write(
            &mut f,
            "/__nameid_version1.0/__substg1.0_00020102",
            &[0; 16],
        );
        for n in 0..2 {
            let a = format!("/{ATTACH_PREFIX}{n:08X}");
            f.create_storage(&a).expect("storage");
            write(&mut f, &format!("{a}/__properties_version1.0"), &[0; 8]);
        }
        let inner = format!("/{ATTACH_PREFIX}00000001/{EMBEDDED}");
        f.create_storage(&inner).expect("storage");
        let mut props = vec![7u8; EMBEDDED_HEADER];
        props.extend([1u8; 16]);
        write(&mut f, &format!("{inner}/{PROPERTIES}"), &props);
        write(
            &mut f,
            &format!("{inner}/__substg1.0_0037001F"),
            &utf16(subject),
        );
        let mut deep = inner;
        for i in 0..extra_levels {
            deep = format!("{deep}/s{i}");
            f.create_storage(&deep).expect("storage");
        }
        f.flush().expect("flush");
        f.into_inner().into_inner()
    }

    #[test]
    fn the_embedded_message_becomes_a_file_of_its_own() {
        let bytes = outer("quarterly figures", 0);
        assert_eq!(extract(&bytes, 0), None, "attachment 0 holds no message");
        let inner = extract(&bytes, 1).expect("attachment 1 does");
        let mut f = Cfb::open(Cursor::new(&inner)).expect("a compound file");
        let mut read = |path: &str| {
            let mut out = Vec::new();
            f.open_stream(path)
                .expect("stream")
                .read_to_end(&mut out)
                .expect("read");
            out
        };
        assert_eq!(read("/__substg1.0_0037001F"), utf16("quarterly figures"));
        // The property header grows from 24 to 32 bytes, nothing else moves.
        let props = read(&format!("/{PROPERTIES}"));
        assert_eq!(props.len(), TOP_HEADER + 16);
        assert_eq!(&props[..EMBEDDED_HEADER], &[7; EMBEDDED_HEADER]);
        assert_eq!(&props[EMBEDDED_HEADER..TOP_HEADER], &[0; 8]);
        assert_eq!(&props[TOP_HEADER..], &[1; 16]);
        // The named-property map comes along from the outer root.
        assert_eq!(read("/__nameid_version1.0/__substg1.0_00020102"), [0; 16]);
        // Read again, the same bytes.
        assert_eq!(extract(&bytes, 1), Some(inner));
    }

    #[test]
    fn storages_nested_past_the_limit_are_refused() {
        assert!(extract(&outer("ok", MAX_LEVELS - 1), 1).is_some());
        assert_eq!(extract(&outer("deep", MAX_LEVELS + 1), 1), None);
        assert_eq!(extract(b"not a compound file", 0), None);
    }
}
