//! The full-text index of a project (tantivy), next to the catalog: one
//! entry per distinct document content (identity hash), with the subject,
//! sender, recipients, body text and attachment names. Kept in step with
//! the catalog by [`FullText::sync`]: entries whose hash left the catalog
//! are deleted, new hashes are read from the dump and added.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use mail_parser::MessageParser;
use rayon::prelude::*;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::{Field as TField, IndexRecordOption, Schema, FAST, INDEXED, STRING, TEXT};
use tantivy::{
    Index, IndexReader, IndexWriter, ReloadPolicy, SegmentOrdinal, SegmentReader, TantivyDocument,
    Term,
};

use super::query::Field;
use crate::ingest::{self, mail::address_list};
use crate::model::{prefix_within, Document, Sha256};

/// Folder of the index inside the project folder.
mod dkim;

pub const DIR: &str = "search";
/// Bumped when the schema or what is indexed changes; the index is rebuilt.
const VERSION: &str = "4";
/// Body text indexed per document, at most (the rest is not searchable).
const MAX_BODY_BYTES: usize = 2 << 20;
/// Memory the index writer may use before it flushes (per the two threads).
const WRITER_BUDGET: usize = 48 << 20;
/// Documents added between commits (an interrupted sync keeps these).
const COMMIT_EVERY: usize = 20_000;

#[derive(Debug, thiserror::Error)]
pub enum FullTextError {
    /// Another trawl (a browser, a search) is updating this index now;
    /// what it has committed can still be searched.
    #[error("another trawl is updating the search index in {0}")]
    Busy(String),
    #[error("search index in {0}: {1}")]
    Index(String, tantivy::TantivyError),
    #[error("search index in {0}: {1}")]
    Io(String, std::io::Error),
}

#[derive(Clone, Copy)]
struct Fields {
    /// The identity hash, for deleting an entry.
    id: TField,
    /// The identity hash again, as four fast `u64`s, for reading hits.
    h: [TField; 4],
    subject: TField,
    from: TField,
    to: TField,
    cc: TField,
    body: TField,
    filename: TField,
    /// People in a document's metadata (creator, last modified by …).
    author: TField,
    /// An e-mail's DKIM summary, one word (see `dkim.rs`).
    dkim: TField,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_bytes_field("id", INDEXED);
    let h = ["h0", "h1", "h2", "h3"].map(|n| b.add_u64_field(n, FAST));
    let mut text = |name| b.add_text_field(name, TEXT);
    let fields = Fields {
        id,
        h,
        subject: text("subject"),
        from: text("from"),
        to: text("to"),
        cc: text("cc"),
        body: text("body"),
        filename: text("filename"),
        author: text("author"),
        dkim: b.add_text_field("dkim", STRING),
    };
    (b.build(), fields)
}

/// An open full-text index.
pub struct FullText {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    place: String,
    /// Where the text of non-mail documents is kept once extracted.
    extracted: crate::extract::cache::Cache,
    /// The project's DKIM keys, by name, newest first.
    dkim_keys: std::collections::HashMap<String, Vec<String>>,
    project_dir: std::path::PathBuf,
}

/// What one [`FullText::sync`] did.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct SyncStats {
    pub added: usize,
    pub deleted: usize,
    pub entries: usize,
    pub seconds: f64,
}

impl FullText {
    /// Open the index in `project_dir`, creating it (or recreating one from
    /// another version, or damaged) as needed.
    pub fn open(project_dir: &Path) -> Result<FullText, FullTextError> {
        let dir = project_dir.join(DIR);
        let place = dir.display().to_string();
        let io = |e| FullTextError::Io(place.clone(), e);
        let version = dir.join("trawl-version");
        let current = std::fs::read_to_string(&version).is_ok_and(|v| v.trim() == VERSION);
        let (schema, fields) = schema();
        let opened = current
            .then(|| Index::open_in_dir(&dir).ok())
            .flatten()
            .filter(|i| i.schema() == schema);
        let index = if let Some(index) = opened {
            index
        } else {
            if dir.exists() {
                std::fs::remove_dir_all(&dir).map_err(io)?;
            }
            std::fs::create_dir_all(&dir).map_err(io)?;
            let index = Index::create_in_dir(&dir, schema)
                .map_err(|e| FullTextError::Index(place.clone(), e))?;
            std::fs::write(&version, VERSION).map_err(io)?;
            index
        };
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|e| FullTextError::Index(place.clone(), e))?;
        Ok(FullText {
            index,
            reader,
            fields,
            place,
            extracted: crate::extract::cache::Cache::new(project_dir),
            dkim_keys: dkim::project_keys(project_dir),
            project_dir: project_dir.to_path_buf(),
        })
    }

    /// See what has been committed since the index was opened (by this
    /// process or another).
    pub fn reload(&self) -> Result<(), FullTextError> {
        self.reader.reload().map_err(|e| self.err(e))
    }

    /// Entries in the index (as last reloaded).
    pub fn entries(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn err(&self, e: tantivy::TantivyError) -> FullTextError {
        FullTextError::Index(self.place.clone(), e)
    }

    /// Every identity hash in the index.
    fn hashes(&self) -> Result<Vec<Sha256>, FullTextError> {
        let searcher = self.reader.searcher();
        let mut out = Vec::with_capacity(searcher.num_docs() as usize);
        for segment in searcher.segment_readers() {
            let columns = self.hash_columns(segment)?;
            for doc in segment.doc_ids_alive() {
                out.push(read_hash(&columns, doc));
            }
        }
        Ok(out)
    }

    fn hash_columns(
        &self,
        segment: &tantivy::SegmentReader,
    ) -> Result<Vec<Column<u64>>, FullTextError> {
        ["h0", "h1", "h2", "h3"]
            .iter()
            .map(|n| segment.fast_fields().u64(n).map_err(|e| self.err(e)))
            .collect()
    }

    /// Make the index hold exactly the contents of `docs` (documents of the
    /// dump at `root`): delete what is gone, read and add what is new.
    /// `on_progress(done, total)` is called from worker threads.
    pub fn sync(
        &self,
        root: &Path,
        docs: &[Document],
        on_progress: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<SyncStats, FullTextError> {
        let start = std::time::Instant::now();
        let mut indexed = self.hashes()?;
        indexed.sort_unstable();
        indexed.dedup();
        // Each content once, by its first document (sorted vectors: a
        // fraction of a hash map's memory at half a million documents).
        let mut wanted = super::eval::sorted_hashes(docs);
        wanted.dedup_by_key(|(h, _)| *h);
        let gone: Vec<Sha256> = indexed
            .iter()
            .filter(|h| wanted.binary_search_by(|(w, _)| w.cmp(h)).is_err())
            .copied()
            .collect();
        let mut new: Vec<usize> = wanted
            .iter()
            .filter(|(h, _)| indexed.binary_search(h).is_err())
            .map(|&(_, i)| i as usize)
            .collect();
        // Signed messages are indexed again when the project's DKIM keys
        // changed: their verdict may have.
        let keys_changed = self.dkim_keys_changed();
        let mut redo = Vec::new();
        if keys_changed {
            for h in self.dkim_signed()? {
                if let Ok(at) = wanted.binary_search_by(|(w, _)| w.cmp(&h)) {
                    redo.push(h);
                    new.push(wanted[at].1 as usize);
                }
            }
        }
        new.sort_unstable();
        new.dedup();
        drop(wanted);
        drop(indexed);
        let mut stats = SyncStats {
            deleted: gone.len(),
            added: new.len(),
            ..SyncStats::default()
        };
        if !gone.is_empty() || !new.is_empty() {
            let mut writer: IndexWriter<TantivyDocument> = self
                .index
                .writer_with_num_threads(2, WRITER_BUDGET)
                .map_err(|e| match e {
                    tantivy::TantivyError::LockFailure(
                        tantivy::directory::error::LockError::LockBusy,
                        _,
                    ) => FullTextError::Busy(self.place.clone()),
                    e => self.err(e),
                })?;
            for h in gone.iter().chain(&redo) {
                writer.delete_term(Term::from_field_bytes(self.fields.id, &h.0));
            }
            let done = AtomicUsize::new(0);
            for chunk in new.chunks(COMMIT_EVERY) {
                chunk.par_iter().try_for_each(|&i| {
                    let entry = self.entry(root, &docs[i]);
                    writer.add_document(entry).map_err(|e| self.err(e))?;
                    let n = done.fetch_add(1, Ordering::Relaxed) + 1;
                    if n.is_multiple_of(256) {
                        on_progress(n, new.len());
                    }
                    Ok::<(), FullTextError>(())
                })?;
                writer.commit().map_err(|e| self.err(e))?;
            }
            if new.is_empty() {
                writer.commit().map_err(|e| self.err(e))?;
            }
            writer.wait_merging_threads().map_err(|e| self.err(e))?;
            on_progress(new.len(), new.len());
        }
        if keys_changed {
            self.dkim_keys_indexed();
        }
        self.reader.reload().map_err(|e| self.err(e))?;
        stats.entries = self.reader.searcher().num_docs() as usize;
        stats.seconds = start.elapsed().as_secs_f64();
        Ok(stats)
    }

    /// The index entry of one document; its text is read back from the dump
    /// (a document that cannot be read is indexed by its envelope only).
    fn entry(&self, root: &Path, doc: &Document) -> TantivyDocument {
        let f = &self.fields;
        let mut entry = TantivyDocument::default();
        entry.add_bytes(f.id, &doc.hash.0);
        for (field, part) in f.h.iter().zip(doc.hash.0.chunks_exact(8)) {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(part);
            entry.add_u64(*field, u64::from_be_bytes(bytes));
        }
        entry.add_text(f.subject, doc.subject());
        let from = format!("{} {}", doc.from_name(), doc.from_addr());
        entry.add_text(f.from, from.trim());
        if !doc.is_rfc822() {
            if doc.is_part() {
                entry.add_text(f.filename, doc.subject());
            }
            entry.add_text(f.filename, doc.location.path.to_string_lossy());
            // Office files, PDFs, spreadsheets, text: what extraction gives
            // (kept for the preview too).
            if let Ok(x) = self.extracted.extract_doc(root, doc) {
                entry.add_text(f.body, prefix_within(&x.text, MAX_BODY_BYTES));
                entry.add_text(f.author, x.people());
                if let Some(title) = x.get("title") {
                    entry.add_text(f.subject, title);
                }
            }
            return entry;
        }
        let Ok(bytes) = ingest::read_document(root, &doc.location) else {
            return entry;
        };
        let Some(msg) = MessageParser::default().parse(&bytes) else {
            return entry;
        };
        entry.add_text(f.dkim, self.dkim_word(&bytes));
        entry.add_text(f.to, address_list(msg.to()));
        entry.add_text(f.cc, address_list(msg.cc()));
        if let Some(body) = msg.body_text(0) {
            entry.add_text(f.body, prefix_within(&body, MAX_BODY_BYTES));
        }
        entry
    }

    /// The tantivy query for one text term of the search language: each
    /// word the tokenizer finds in `text` must appear, in order when there
    /// are several (`e-mail`, `"raptor deal"` and `ken@enron.com` are
    /// phrases). `None` when `text` has no word at all.
    fn text_query(&self, field: Field, text: &str) -> Option<Box<dyn Query>> {
        let f = &self.fields;
        let fields = match field {
            Field::Any => vec![f.subject, f.from, f.to, f.cc, f.body, f.filename, f.author],
            Field::From => vec![f.from],
            Field::To => vec![f.to],
            Field::Cc => vec![f.cc],
            Field::Subject => vec![f.subject],
            Field::Body => vec![f.body],
            Field::Filename => vec![f.filename],
            Field::Author => vec![f.author],
            Field::Dkim => vec![f.dkim],
        };
        let mut per_field: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for field in fields {
            let words = self.words(field, text);
            let query: Box<dyn Query> = match words.len() {
                0 => return None,
                1 => Box::new(TermQuery::new(
                    Term::from_field_text(field, &words[0]),
                    IndexRecordOption::WithFreqs,
                )),
                _ => Box::new(PhraseQuery::new(
                    words
                        .iter()
                        .map(|w| Term::from_field_text(field, w))
                        .collect(),
                )),
            };
            per_field.push((Occur::Should, query));
        }
        Some(Box::new(BooleanQuery::new(per_field)))
    }

    fn words(&self, field: TField, text: &str) -> Vec<String> {
        let Ok(mut tokenizer) = self.index.tokenizer_for_field(field) else {
            return Vec::new();
        };
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    /// Identity hashes of the entries matching a text term, with scores.
    pub fn matching(&self, field: Field, text: &str) -> Result<Vec<(Sha256, f32)>, FullTextError> {
        let Some(query) = self.text_query(field, text) else {
            return Ok(Vec::new());
        };
        let searcher = self.reader.searcher();
        searcher.search(&*query, &EveryHit).map_err(|e| self.err(e))
    }
}

/// Collects every hit with its score and identity hash (no ranking heap:
/// the caller combines and orders them).
struct EveryHit;

struct EveryHitInSegment {
    columns: Vec<Column<u64>>,
    hits: Vec<(Sha256, f32)>,
}

impl Collector for EveryHit {
    type Fruit = Vec<(Sha256, f32)>;
    type Child = EveryHitInSegment;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<EveryHitInSegment> {
        let columns = ["h0", "h1", "h2", "h3"]
            .iter()
            .map(|n| reader.fast_fields().u64(n))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(EveryHitInSegment {
            columns,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<(Sha256, f32)>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.concat())
    }
}

impl SegmentCollector for EveryHitInSegment {
    type Fruit = Vec<(Sha256, f32)>;

    fn collect(&mut self, doc: tantivy::DocId, score: tantivy::Score) {
        self.hits.push((read_hash(&self.columns, doc), score));
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

fn read_hash(columns: &[Column<u64>], doc: u32) -> Sha256 {
    let mut out = [0u8; 32];
    for (part, column) in out.chunks_exact_mut(8).zip(columns) {
        part.copy_from_slice(&column.first(doc).unwrap_or(0).to_be_bytes());
    }
    Sha256(out)
}
