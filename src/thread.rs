//! Conversation threading: turns the messages of a dump into a forest of
//! reply trees, following Jamie Zawinski's algorithm
//! (<https://www.jwz.org/doc/threading.html>) with a few deliberate changes
//! for people reading leaked mail.
//!
//! This module owns the *shape* of conversations: who replied to whom, which
//! referenced messages are not in the dump, and the order threads and replies
//! are listed in. It knows nothing of files or of the terminal: it takes a
//! slice of [`ThreadInput`] (one per message, in scan order) and returns a
//! [`Forest`] whose [`NodeKind::Doc`] nodes index that slice.
//!
//! # How parents are found (JWZ, steps 1A–1C)
//! Messages are processed in input order.
//! * A message's *references* are its `References` ids (oldest first); when
//!   `References` is empty, the first `In-Reply-To` id. `In-Reply-To` is
//!   ignored when `References` is present, as JWZ says; so the parent is the
//!   last reference.
//! * The whole References chain is linked parent→child between containers, but
//!   a container that already has a parent keeps it (information from an
//!   earlier message is not overridden by another message's chain).
//! * Then the message's own container is re-parented under its last reference
//!   (or made a root when it has no reference): the message's own header is
//!   the most definitive source, so it replaces a parent presumed from another
//!   message's References.
//! * A message's own id in its References or In-Reply-To is ignored.
//! * A link that would create a cycle is never made (checked before linking,
//!   by walking up from the would-be parent and down from the would-be child
//!   in lock-step, so the check costs the smaller of the two walks). When the
//!   refused link came from the message's own header, the message stays a
//!   root, as in Dovecot's `THREAD=REFERENCES`.
//!
//! # Decisions that differ from JWZ / RFC 5256
//! * **Duplicate Message-IDs.** The first message (input order) with an id
//!   owns it: replies naming that id hang under it. Every later message with
//!   the same id becomes its own `Doc` node placed as a *sibling* of the owner
//!   (same parent; a separate root when the owner is a root). Its own
//!   References still contribute chain links between *other* containers, but
//!   it is never moved by them. Siblings are sorted by date like all
//!   children, so a copy with the same date comes right after the owner.
//! * **Missing messages are kept visible.** A referenced id with no message
//!   becomes a [`NodeKind::Missing`] node when something hangs under it;
//!   empty containers are dropped. Unlike RFC 5256 a missing root is *not*
//!   replaced by its single child, and a chain of missing ids stays a chain:
//!   the gap is information.
//! * **Subject fallback, conservative.** After id linking, roots are grouped
//!   by [`normalize_subject`] (empty subjects never group). In a group with a
//!   root that is a message whose subject is not a reply, the earliest such
//!   root adopts every root of the group whose subject is a reply (whole
//!   subtrees move). Otherwise, if the group has missing roots, the earliest
//!   missing root adopts the reply roots. A missing root's subject, for this
//!   step, is that of its earliest child (descending through missing nodes).
//!   Two non-reply roots with the same subject ("Meeting") stay separate
//!   threads: RFC 5256 would put them under a dummy; we do not invent that
//!   link. Likewise replies with no original and no missing root to join
//!   stay apart. [`build_by_ids`] skips this step entirely.
//!
//! # Order and output layout
//! A node's `date` is its message's date; for a missing node, the earliest
//! date among its children. `latest` is the newest date in the subtree.
//! Children are sorted by date ascending (undated last, ties by input index;
//! a missing node's input index is the smallest one in its subtree). Roots are
//! sorted by `latest` descending (undated last, same tie rule).
//! [`Forest::nodes`] is laid out in depth-first pre-order, roots in order, so
//! `0..nodes.len()` walks the threads as they are listed.
//!
//! # Cost
//! Hash map on ids, doubly linked sibling lists (O(1) unlink), lock-step
//! cycle checks, explicit stacks everywhere (a 100,000-message reply chain
//! does not recurse), one sort per child list: O(n log n) in practice.

use std::cmp::{Ordering, Reverse};
use std::collections::HashMap;

use crate::model::{DocId, ThreadRefs};

/// What the threader needs to know of one message.
#[derive(Clone, Copy)]
pub struct ThreadInput<'a> {
    pub message_id: Option<&'a str>, // without <>, may be None or duplicated
    pub refs: &'a ThreadRefs,        // In-Reply-To and References ids, without <>
    pub subject: &'a str,            // decoded subject as in the header
    pub date: Option<i64>,           // unix seconds
    /// Threaded by hand: `refs` is definitive. No other message's
    /// References moves it and the subject fallback leaves it alone.
    pub pinned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeKind {
    Doc(DocId),      // index into the input slice
    Missing(String), // a referenced Message-ID not present: shown as "not in dump"
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<usize>, // index into Forest::nodes
    pub children: Vec<usize>,  // sorted by date ascending (missing dates last, ties by input index)
    pub date: Option<i64>,     // the doc's date; for Missing: earliest child date
    pub latest: Option<i64>,   // max date over the whole subtree
}

#[derive(Debug, Clone, Default)]
pub struct Forest {
    pub nodes: Vec<Node>,
    pub roots: Vec<usize>, // sorted by `latest` descending (newest activity first); ties by input order
}

impl Forest {
    /// Every node as `(node index, depth)` in display order: roots in order,
    /// each followed by its subtree (children in order). Iterative.
    pub fn depth_first(&self) -> DepthFirst<'_> {
        DepthFirst {
            forest: self,
            stack: self.roots.iter().rev().map(|&r| (r, 0)).collect(),
        }
    }

    /// The root of the thread `node` belongs to.
    pub fn root_of(&self, mut node: usize) -> usize {
        while let Some(p) = self.nodes[node].parent {
            node = p;
        }
        node
    }

    /// For each input index `0..doc_count`, the node that shows it (`None`
    /// only for an index that was not part of the input).
    pub fn node_of_docs(&self, doc_count: usize) -> Vec<Option<usize>> {
        let mut out = vec![None; doc_count];
        for (i, n) in self.nodes.iter().enumerate() {
            if let NodeKind::Doc(d) = n.kind {
                if let Some(slot) = out.get_mut(d) {
                    *slot = Some(i);
                }
            }
        }
        out
    }

    /// Number of nodes in the subtree of `node`, itself included.
    pub fn subtree_len(&self, node: usize) -> usize {
        let mut count = 0;
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            count += 1;
            stack.extend_from_slice(&self.nodes[n].children);
        }
        count
    }
}

/// Iterator returned by [`Forest::depth_first`].
pub struct DepthFirst<'f> {
    forest: &'f Forest,
    stack: Vec<(usize, usize)>,
}

impl Iterator for DepthFirst<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<Self::Item> {
        let (node, depth) = self.stack.pop()?;
        let children = &self.forest.nodes[node].children;
        self.stack
            .extend(children.iter().rev().map(|&c| (c, depth + 1)));
        Some((node, depth))
    }
}

/// Thread `inputs` into a forest. Every input appears exactly once as a
/// [`NodeKind::Doc`] node; see the module documentation for the rules.
pub fn build(inputs: &[ThreadInput<'_>]) -> Forest {
    build_with(inputs, true)
}

/// Like [`build`] but without the subject fallback: every parent link in the
/// result is stated by a `References` or `In-Reply-To` header (for a view
/// that shows only what the headers prove, and for comparing with other
/// threaders).
pub fn build_by_ids(inputs: &[ThreadInput<'_>]) -> Forest {
    build_with(inputs, false)
}

/// What [`build_preorder`] hands over for each node of the forest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit<'a> {
    pub kind: Visited<'a>,
    /// 0 for a thread's root.
    pub depth: u32,
    /// Last among its siblings (or the last root).
    pub last_child: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visited<'a> {
    /// Index into the input slice.
    Doc(DocId),
    /// A referenced Message-ID not present.
    Missing(&'a str),
}

/// The forest [`build`] makes, handed to `visit` node by node in display
/// order (the order of [`Forest::depth_first`]) instead of being built:
/// what a flat view needs, in far less memory. The `count` inputs are
/// asked for by index (`input(i)`), never held all at once.
pub fn build_preorder<'a>(
    count: usize,
    input: impl Fn(usize) -> ThreadInput<'a>,
    mut visit: impl FnMut(Visit<'a>),
) {
    let (mut b, roots) = link(count, &input, true);
    // Roots are sorted: the walk needs only `date` and `tie`.
    b.latest = Vec::new();
    b.preorder(&roots, |k, _, depth, last_child| {
        let kind = match b.c[k].doc {
            Some(d) => Visited::Doc(d),
            None => Visited::Missing(b.c[k].id),
        };
        visit(Visit {
            kind,
            depth,
            last_child,
        });
    });
}

fn build_with(inputs: &[ThreadInput<'_>], subject_fallback: bool) -> Forest {
    let (b, roots) = link(inputs.len(), &|i| inputs[i], subject_fallback);
    b.into_forest(&roots)
}

/// JWZ up to the sorted roots: containers linked, dates computed.
fn link<'a>(
    count: usize,
    inputs: &impl Fn(usize) -> ThreadInput<'a>,
    subject_fallback: bool,
) -> (Builder<'a>, Vec<usize>) {
    let mut b = Builder::with_capacity(count);
    let duplicates = b.link_by_ids(count, inputs);
    b.prune_empty();
    for (dup, owner) in duplicates {
        let parent = b.c[owner].parent;
        if parent != NONE {
            b.link(parent, dup);
        }
    }
    // Every id is linked: the map is not needed any more.
    b.by_id = HashMap::new();
    let mut roots = b.roots();
    b.compute_dates(inputs, &roots);
    if subject_fallback {
        b.merge_by_subject(inputs, &roots);
        roots = b.roots();
        b.compute_dates(inputs, &roots);
    }
    roots.sort_unstable_by_key(|&k| {
        (
            b.latest[k].is_none(),
            Reverse(b.latest[k].unwrap_or(0)),
            b.tie[k],
        )
    });
    (b, roots)
}

/// Strip reply/forward prefixes and list tags, for display-independent
/// comparison.
///
/// Removes, repeatedly and in any order at the start: reply/forward prefixes
/// in any case (`Re:`, `Re[2]:`, `Re(2):`, `Fwd:`, `Fw:`, `TR:`, `AW:`,
/// `WG:`, `SV:`, `VS:`, `Réf.:`, `Réf :`, `Ref:`, `Antw:`, `Odp:`, `RIF:`,
/// `RES:`, `ENC:`, `回复:`, `答复:`, `转发:`; a space before the colon and a
/// full-width colon are accepted), `[list]` tags (only when something is left
/// after them, so a subject that is only `[xyz]` stays), a `[Fwd: …]` wrapper
/// around the whole subject, and trailing `(fwd)` markers. The result is
/// lower-cased with whitespace collapsed to single spaces, so two subjects
/// are "the same" exactly when their normalised forms are equal.
pub fn normalize_subject(subject: &str) -> String {
    let (base, _) = strip_subject(subject);
    let mut out = String::with_capacity(base.len());
    for word in base.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// True when the subject had a reply/forward prefix (or a `[Fwd: …]`
/// wrapper or a trailing `(fwd)`), possibly after list tags.
pub fn is_reply_subject(subject: &str) -> bool {
    strip_subject(subject).1
}

// ---------------------------------------------------------------------------
// Subject normalisation

/// Prefix words that mark a reply or a forward, lower case.
const REPLY_WORDS: &[&str] = &[
    "re", "fwd", "fw", "tr", "aw", "wg", "sv", "vs", "réf", "ref", "antw", "odp", "rif", "res",
    "enc", "回复", "答复", "转发",
];

/// The base subject and whether any reply/forward marker was removed.
fn strip_subject(subject: &str) -> (&str, bool) {
    let mut s = subject.trim();
    let mut marked = false;
    loop {
        // Trailing "(fwd)" markers.
        loop {
            let t = s.trim_end();
            if let Some(rest) = strip_suffix_ci(t, "(fwd)") {
                s = rest;
                marked = true;
            } else {
                s = t;
                break;
            }
        }
        s = s.trim_start();
        if let Some(rest) = strip_reply_prefix(s) {
            s = rest;
            marked = true;
            continue;
        }
        if let Some(rest) = strip_blob(s) {
            if !rest.trim().is_empty() {
                s = rest;
                continue;
            }
        }
        if s.len() >= 6 && s.ends_with(']') {
            if let Some(inner) = strip_prefix_ci(s, "[fwd:") {
                s = &inner[..inner.len() - 1];
                marked = true;
                continue;
            }
        }
        return (s, marked);
    }
}

fn strip_prefix_ci<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn strip_suffix_ci<'s>(s: &'s str, suffix: &str) -> Option<&'s str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix).then(|| &s[..cut])
}

/// `Re:`, `RE :`, `Re[2]:`, `Re(2):`, `Réf. :`… at the start of `s`.
fn strip_reply_prefix(s: &str) -> Option<&str> {
    let word_end = s
        .char_indices()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(s.len(), |(i, _)| i);
    if word_end == 0 || word_end > 12 {
        return None;
    }
    let word = s[..word_end].to_lowercase();
    if !REPLY_WORDS.contains(&word.as_str()) {
        return None;
    }
    let mut rest = &s[word_end..];
    if let Some(r) = rest.strip_prefix('.') {
        rest = r;
    }
    // Optional reply counter: [2] or (2).
    for (open, close) in [('[', ']'), ('(', ')')] {
        if let Some(r) = rest.strip_prefix(open) {
            let digits = r.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 {
                if let Some(after) = r[digits..].strip_prefix(close) {
                    rest = after;
                }
            }
            break;
        }
    }
    let rest = rest.trim_start();
    rest.strip_prefix(':').or_else(|| rest.strip_prefix('：'))
}

/// A leading `[tag]` (no nested brackets): the rest after it.
fn strip_blob(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('[')?;
    let close = inner.find(']')?;
    if inner[..close].contains('[') {
        return None;
    }
    Some(&inner[close + 1..])
}

// ---------------------------------------------------------------------------
// Containers

const NONE: usize = usize::MAX;

/// A JWZ container: a message, or an id something referred to.
struct Cont<'a> {
    doc: Option<DocId>,
    id: &'a str,
    parent: usize,
    first_child: usize,
    next: usize,
    prev: usize,
}

struct Builder<'a> {
    c: Vec<Cont<'a>>,
    by_id: HashMap<&'a str, usize>,
    /// Scratch queue of the downward half of the cycle check.
    queue: Vec<usize>,
    date: Vec<Option<i64>>,
    latest: Vec<Option<i64>>,
    /// Input index used to break date ties (smallest in the subtree).
    tie: Vec<usize>,
    /// Containers of messages threaded by hand (empty unless the user
    /// relinked something: no cost otherwise).
    pinned: std::collections::HashSet<usize>,
}

/// Ids as given, minus stray whitespace and angle brackets.
fn clean_id(id: &str) -> &str {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .trim()
}

/// Sort key: dated before undated, then by date, then by input index.
fn order_key(date: Option<i64>, tie: usize) -> (bool, i64, usize) {
    (date.is_none(), date.unwrap_or(0), tie)
}

impl<'a> Builder<'a> {
    fn with_capacity(n: usize) -> Self {
        Builder {
            // Room for the messages and some ids of absent ones; grows if
            // a dump refers to many messages it does not hold.
            c: Vec::with_capacity(n + n / 8),
            by_id: HashMap::with_capacity(n + n / 8),
            queue: Vec::new(),
            date: Vec::new(),
            latest: Vec::new(),
            tie: Vec::new(),
            pinned: std::collections::HashSet::new(),
        }
    }

    fn new_cont(&mut self, doc: Option<DocId>, id: &'a str) -> usize {
        self.c.push(Cont {
            doc,
            id,
            parent: NONE,
            first_child: NONE,
            next: NONE,
            prev: NONE,
        });
        self.c.len() - 1
    }

    fn container(&mut self, id: &'a str) -> usize {
        if let Some(&k) = self.by_id.get(id) {
            return k;
        }
        let k = self.new_cont(None, id);
        self.by_id.insert(id, k);
        k
    }

    /// Make root `child` the first child of `parent`.
    fn link(&mut self, parent: usize, child: usize) {
        debug_assert_eq!(self.c[child].parent, NONE);
        let old_first = self.c[parent].first_child;
        if old_first != NONE {
            self.c[old_first].prev = child;
        }
        let ch = &mut self.c[child];
        ch.parent = parent;
        ch.prev = NONE;
        ch.next = old_first;
        self.c[parent].first_child = child;
    }

    fn unlink(&mut self, child: usize) {
        let Cont {
            parent, prev, next, ..
        } = self.c[child];
        if parent == NONE {
            return;
        }
        if prev == NONE {
            self.c[parent].first_child = next;
        } else {
            self.c[prev].next = next;
        }
        if next != NONE {
            self.c[next].prev = prev;
        }
        let ch = &mut self.c[child];
        ch.parent = NONE;
        ch.prev = NONE;
        ch.next = NONE;
    }

    /// Would making root `child` a child of `parent` close a cycle, i.e. is
    /// `parent` inside `child`'s tree? Walks up from `parent` and breadth-first
    /// down from `child` one O(1) step at a time each, so the cost is about
    /// twice the shorter of the two walks.
    fn would_loop(&mut self, parent: usize, child: usize) -> bool {
        if parent == child {
            return true;
        }
        let mut up = parent;
        self.queue.clear();
        let mut expanded = 0;
        let mut cursor = self.c[child].first_child;
        loop {
            up = self.c[up].parent;
            if up == NONE {
                return false;
            }
            if up == child {
                return true;
            }
            if cursor != NONE {
                if cursor == parent {
                    return true;
                }
                self.queue.push(cursor);
                cursor = self.c[cursor].next;
            } else if expanded < self.queue.len() {
                cursor = self.c[self.queue[expanded]].first_child;
                expanded += 1;
            } else {
                return false;
            }
        }
    }

    /// JWZ step 1: containers for every message and every referenced id,
    /// linked. Returns the containers of duplicate messages with the
    /// container of the message that owns their id.
    fn link_by_ids(
        &mut self,
        count: usize,
        inputs: &impl Fn(usize) -> ThreadInput<'a>,
    ) -> Vec<(usize, usize)> {
        let mut duplicates = Vec::new();
        let mut refs: Vec<usize> = Vec::new();
        for i in 0..count {
            let msg = inputs(i);
            let id = msg.message_id.map(clean_id).filter(|s| !s.is_empty());
            let (own, duplicate) = match id {
                None => (self.new_cont(Some(i), ""), false),
                Some(id) => {
                    let k = self.container(id);
                    if self.c[k].doc.is_none() {
                        self.c[k].doc = Some(i);
                        (k, false)
                    } else if msg.pinned {
                        // A duplicate threaded by hand goes where the
                        // user put it, not beside the owner of its id.
                        (self.new_cont(Some(i), id), false)
                    } else {
                        let d = self.new_cont(Some(i), id);
                        duplicates.push((d, k));
                        (d, true)
                    }
                }
            };

            // The message's own id is never its ancestor: drop it (broken
            // clients put it in In-Reply-To or References).
            let usable = |r: &&'a str| !r.is_empty() && Some(*r) != id;
            refs.clear();
            let mut ids = msg
                .refs
                .references()
                .map(clean_id)
                .filter(usable)
                .peekable();
            if ids.peek().is_some() {
                for r in ids {
                    refs.push(self.container(r));
                }
            } else if let Some(r) = msg.refs.in_reply_to().map(clean_id).find(usable) {
                refs.push(self.container(r));
            }

            // 1B: the chain, without changing links already made (nor
            // moving a message the user threaded by hand).
            for pair in refs.windows(2) {
                let (p, ch) = (pair[0], pair[1]);
                if self.c[ch].parent == NONE
                    && !self.pinned.contains(&ch)
                    && !self.would_loop(p, ch)
                {
                    self.link(p, ch);
                }
            }

            // 1C: the message's own parent replaces a presumed one.
            if duplicate {
                continue;
            }
            if msg.pinned {
                self.pinned.insert(own);
            }
            let parent = refs.last().copied().unwrap_or(NONE);
            if self.c[own].parent != parent {
                self.unlink(own);
                if parent != NONE && !self.would_loop(parent, own) {
                    self.link(parent, own);
                }
            }
        }
        duplicates
    }

    /// Drop containers with neither a message nor children, bottom-up.
    fn prune_empty(&mut self) {
        for start in 0..self.c.len() {
            let mut k = start;
            while self.c[k].doc.is_none() && self.c[k].first_child == NONE {
                let parent = self.c[k].parent;
                self.unlink(k);
                if parent == NONE {
                    break;
                }
                k = parent;
            }
        }
    }

    fn roots(&self) -> Vec<usize> {
        (0..self.c.len())
            .filter(|&k| {
                let c = &self.c[k];
                c.parent == NONE && (c.doc.is_some() || c.first_child != NONE)
            })
            .collect()
    }

    fn children(&self, k: usize) -> ChildIter<'_, 'a> {
        ChildIter {
            c: &self.c,
            next: self.c[k].first_child,
        }
    }

    /// `date`, `latest` and `tie` for every node under `roots`, post-order.
    fn compute_dates(&mut self, inputs: &impl Fn(usize) -> ThreadInput<'a>, roots: &[usize]) {
        let n = self.c.len();
        // Refilled in place: the second pass must not hold two copies.
        for v in [&mut self.date, &mut self.latest] {
            v.clear();
            v.resize(n, None);
        }
        self.tie.clear();
        self.tie.resize(n, usize::MAX);
        let mut done = vec![false; n];
        let mut stack: Vec<(usize, bool)> = Vec::new();
        for &r in roots {
            stack.push((r, false));
            while let Some((k, expanded)) = stack.pop() {
                if !expanded {
                    stack.push((k, true));
                    stack.extend(self.children(k).map(|ch| (ch, false)));
                    continue;
                }
                if done[k] {
                    continue;
                }
                done[k] = true;
                let (mut date, mut tie) = match self.c[k].doc {
                    Some(d) => (inputs(d).date, d),
                    None => (None, usize::MAX),
                };
                let mut latest = date;
                let is_doc = self.c[k].doc.is_some();
                let mut ch = self.c[k].first_child;
                while ch != NONE {
                    latest = latest.max(self.latest[ch]);
                    if !is_doc {
                        date = match (date, self.date[ch]) {
                            (Some(a), Some(b)) => Some(a.min(b)),
                            (a, b) => a.or(b),
                        };
                        tie = tie.min(self.tie[ch]);
                    }
                    ch = self.c[ch].next;
                }
                self.date[k] = date;
                self.latest[k] = latest;
                self.tie[k] = tie;
            }
        }
    }

    fn key(&self, k: usize) -> (bool, i64, usize) {
        order_key(self.date[k], self.tie[k])
    }

    /// The message whose subject stands for container `k`: itself, or for a
    /// missing container its earliest child, recursively.
    fn representative(&self, mut k: usize) -> Option<DocId> {
        loop {
            if let Some(d) = self.c[k].doc {
                return Some(d);
            }
            k = self.children(k).min_by_key(|&ch| self.key(ch))?;
        }
    }

    /// JWZ step 5, conservative (see module doc).
    fn merge_by_subject(&mut self, inputs: &impl Fn(usize) -> ThreadInput<'a>, roots: &[usize]) {
        struct Root {
            k: usize,
            is_doc: bool,
            reply: bool,
        }
        // Only groups with a reply in them change anything: gather those
        // first (few roots are orphaned replies), then the others that
        // share their subject.
        let mut groups: HashMap<String, Vec<Root>> = HashMap::new();
        for replies in [true, false] {
            for &k in roots {
                let Some(rep) = self.representative(k) else {
                    continue;
                };
                let subject = inputs(rep).subject;
                if is_reply_subject(subject) != replies {
                    continue;
                }
                let norm = normalize_subject(subject);
                let root = Root {
                    k,
                    is_doc: self.c[k].doc.is_some(),
                    reply: replies,
                };
                if replies && !norm.is_empty() {
                    groups.entry(norm).or_default().push(root);
                } else if let Some(group) = groups.get_mut(&norm) {
                    group.push(root);
                }
            }
        }
        // Groups are disjoint, so the order they are handled in does not
        // change the result.
        for group in groups.values() {
            if group.len() < 2 {
                continue;
            }
            let target = group
                .iter()
                .filter(|r| r.is_doc && !r.reply)
                .min_by_key(|r| self.key(r.k))
                .or_else(|| {
                    group
                        .iter()
                        .filter(|r| !r.is_doc)
                        .min_by_key(|r| self.key(r.k))
                })
                .map(|r| r.k);
            let Some(target) = target else {
                continue;
            };
            for r in group {
                // Every root is the top of its own tree, so attaching one
                // root under another can never close a cycle.
                if r.reply && r.k != target && !self.pinned.contains(&r.k) {
                    self.link(target, r.k);
                }
            }
        }
    }

    /// Walk the trees under `roots` (in that order) depth first, children
    /// sorted, calling `visit(container, parent's visit number, depth,
    /// last among siblings)`. Iterative; one root's tree at a time.
    fn preorder(&self, roots: &[usize], mut visit: impl FnMut(usize, Option<usize>, u32, bool)) {
        // (container, parent's visit number, depth, last child)
        let mut stack: Vec<(usize, Option<usize>, u32, bool)> = Vec::new();
        let mut kids: Vec<usize> = Vec::new();
        let mut count = 0;
        for (i, &root) in roots.iter().enumerate() {
            stack.push((root, None, 0, i + 1 == roots.len()));
            while let Some((k, parent, depth, last)) = stack.pop() {
                visit(k, parent, depth, last);
                let index = count;
                count += 1;
                kids.clear();
                kids.extend(self.children(k));
                kids.sort_unstable_by(|&a, &b| self.cmp_children(a, b));
                let n = kids.len();
                stack.extend(
                    kids.iter()
                        .enumerate()
                        .rev()
                        .map(|(j, &ch)| (ch, Some(index), depth + 1, j + 1 == n)),
                );
            }
        }
    }

    fn into_forest(self, roots: &[usize]) -> Forest {
        let mut nodes: Vec<Node> = Vec::with_capacity(self.c.len());
        let mut out_roots = Vec::with_capacity(roots.len());
        self.preorder(roots, |k, parent, _, _| {
            let index = nodes.len();
            let kind = match self.c[k].doc {
                Some(d) => NodeKind::Doc(d),
                None => NodeKind::Missing(self.c[k].id.to_string()),
            };
            nodes.push(Node {
                kind,
                parent,
                children: Vec::new(),
                date: self.date[k],
                latest: self.latest[k],
            });
            match parent {
                Some(p) => nodes[p].children.push(index),
                None => out_roots.push(index),
            }
        });
        Forest {
            nodes,
            roots: out_roots,
        }
    }

    fn cmp_children(&self, a: usize, b: usize) -> Ordering {
        self.key(a).cmp(&self.key(b))
    }
}

struct ChildIter<'b, 'a> {
    c: &'b [Cont<'a>],
    next: usize,
}

impl Iterator for ChildIter<'_, '_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.next == NONE {
            return None;
        }
        let k = self.next;
        self.next = self.c[k].next;
        Some(k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Owned test message; `ThreadInput`s borrow from these.
    struct M {
        id: Option<String>,
        refs: ThreadRefs,
        subject: String,
        date: Option<i64>,
        pinned: bool,
    }

    fn m(id: &str, refs: &[&str], irt: &[&str], subject: &str, date: i64) -> M {
        M {
            id: (!id.is_empty()).then(|| id.to_string()),
            refs: ThreadRefs::new(irt.iter().copied(), refs.iter().copied()),
            subject: subject.to_string(),
            date: Some(date),
            pinned: false,
        }
    }

    fn inputs(ms: &[M]) -> Vec<ThreadInput<'_>> {
        ms.iter()
            .map(|x| ThreadInput {
                message_id: x.id.as_deref(),
                refs: &x.refs,
                subject: &x.subject,
                date: x.date,
                pinned: x.pinned,
            })
            .collect()
    }

    /// Checks the forest's invariants and returns it drawn as a string:
    /// threads in order, `name(children...)`, docs by their Message-ID (or
    /// `#index`), missing ids as `?id`.
    fn draw(ms: &[M]) -> String {
        let f = build(&inputs(ms));
        check(&f, ms.len());
        let label = |n: usize| match &f.nodes[n].kind {
            NodeKind::Doc(d) => ms[*d].id.clone().unwrap_or_else(|| format!("#{d}")),
            NodeKind::Missing(id) => format!("?{id}"),
        };
        let mut out = String::new();
        let mut last_depth = 0;
        let mut first = true;
        for (n, depth) in f.depth_first() {
            if !first {
                if depth > last_depth {
                    out.push('(');
                } else {
                    for _ in depth..last_depth {
                        out.push(')');
                    }
                    out.push(if depth == 0 { ' ' } else { ',' });
                }
            }
            first = false;
            out.push_str(&label(n));
            last_depth = depth;
        }
        for _ in 0..last_depth {
            out.push(')');
        }
        out
    }

    /// Invariants: each doc once, parent/child consistent, no cycle,
    /// children and roots in order, dates right.
    fn check(f: &Forest, n_docs: usize) {
        let mut seen = vec![0; n_docs];
        for node in &f.nodes {
            if let NodeKind::Doc(d) = node.kind {
                seen[d] += 1;
            } else {
                assert!(!node.children.is_empty(), "empty missing node");
            }
        }
        assert!(seen.iter().all(|&s| s == 1), "docs seen {seen:?}");
        let visited: Vec<_> = f.depth_first().collect();
        assert_eq!(visited.len(), f.nodes.len(), "unreachable or cyclic nodes");
        for (i, (n, _)) in visited.iter().enumerate() {
            assert_eq!(i, *n, "nodes not in pre-order");
        }
        for &r in &f.roots {
            assert_eq!(f.nodes[r].parent, None);
        }
        for (i, node) in f.nodes.iter().enumerate() {
            for &c in &node.children {
                assert_eq!(f.nodes[c].parent, Some(i));
            }
            let dates: Vec<_> = node
                .children
                .iter()
                .map(|&c| order_key(f.nodes[c].date, 0))
                .collect();
            assert!(dates
                .windows(2)
                .all(|w| (w[0].0, w[0].1) <= (w[1].0, w[1].1)));
            let mut latest = node.date;
            for &c in &node.children {
                latest = latest.max(f.nodes[c].latest);
            }
            assert_eq!(latest, node.latest);
        }
        let latest: Vec<_> = f
            .roots
            .iter()
            .map(|&r| (f.nodes[r].latest.is_none(), Reverse(f.nodes[r].latest)))
            .collect();
        assert!(
            latest.windows(2).all(|w| w[0] <= w[1]),
            "roots out of order"
        );
    }

    #[test]
    fn simple_chain() {
        let ms = [
            m("a", &[], &[], "Plan", 1),
            m("b", &["a"], &["a"], "Re: Plan", 2),
            m("c", &["a", "b"], &["b"], "Re: Plan", 3),
        ];
        assert_eq!(draw(&ms), "a(b(c))");
    }

    #[test]
    fn chain_in_reverse_input_order() {
        let ms = [
            m("c", &["a", "b"], &["b"], "Re: Plan", 3),
            m("b", &["a"], &["a"], "Re: Plan", 2),
            m("a", &[], &[], "Plan", 1),
        ];
        assert_eq!(draw(&ms), "a(b(c))");
    }

    #[test]
    fn branching_sorted_by_date() {
        let ms = [
            m("a", &[], &[], "Plan", 1),
            m("c", &["a"], &[], "Re: Plan", 5),
            m("b", &["a"], &[], "Re: Plan", 2),
            m("d", &["a", "b"], &[], "Re: Plan", 3),
            m("x", &[], &[], "Other", 4),
        ];
        // Thread a has the newest activity (5), so it is listed first.
        assert_eq!(draw(&ms), "a(b(d),c) x");
        let f = build(&inputs(&ms));
        assert_eq!(f.nodes[f.roots[0]].latest, Some(5));
        assert_eq!(f.nodes[f.roots[1]].latest, Some(4));
    }

    #[test]
    fn in_reply_to_only() {
        let ms = [
            m("a", &[], &[], "Plan", 1),
            m("b", &[], &["a"], "Re: Plan", 2),
            m("c", &[], &["b", "a"], "Re: Plan", 3),
        ];
        assert_eq!(draw(&ms), "a(b(c))");
    }

    #[test]
    fn references_win_over_in_reply_to() {
        // JWZ: when References is present, its last id is the parent.
        let ms = [
            m("a", &[], &[], "Plan", 1),
            m("b", &["a"], &[], "Re: Plan", 2),
            m("c", &["a"], &["b"], "Re: Plan", 3),
        ];
        assert_eq!(draw(&ms), "a(b,c)");
    }

    #[test]
    fn own_header_overrides_presumed_parent() {
        // c's References claim x→b; b's own References say a. b's header wins.
        let ms = [
            m("c", &["x", "b"], &[], "Re: Plan", 3),
            m("a", &[], &[], "Plan", 1),
            m("b", &["a"], &[], "Re: Plan", 2),
        ];
        assert_eq!(draw(&ms), "a(b(c))");
    }

    #[test]
    fn missing_root_is_kept() {
        let ms = [
            m("b", &["a"], &[], "Re: Plan", 2),
            m("c", &["a"], &[], "Re: Plan", 3),
        ];
        assert_eq!(draw(&ms), "?a(b,c)");
        // Not promoted even with a single child.
        let ms = [m("b", &["a"], &[], "Re: Plan", 2)];
        assert_eq!(draw(&ms), "?a(b)");
        let f = build(&inputs(&ms));
        assert_eq!(f.nodes[0].kind, NodeKind::Missing("a".into()));
        assert_eq!(f.nodes[0].date, Some(2));
        assert_eq!(f.nodes[0].latest, Some(2));
    }

    #[test]
    fn missing_middle_and_chain_of_missing() {
        let ms = [
            m("a", &[], &[], "Plan", 1),
            m("d", &["a", "b", "c"], &[], "Re: Plan", 4),
        ];
        assert_eq!(draw(&ms), "a(?b(?c(d)))");
        let ms = [m("d", &["x", "y"], &[], "Re: Plan", 4)];
        assert_eq!(draw(&ms), "?x(?y(d))");
    }

    #[test]
    fn empty_containers_are_dropped() {
        // x is referenced, then b's own header moves b away from it.
        let ms = [
            m("c", &["x", "b"], &[], "Re: Plan", 3),
            m("b", &[], &[], "Plan", 2),
        ];
        assert_eq!(draw(&ms), "b(c)");
    }

    #[test]
    fn duplicate_ids_become_siblings() {
        let ms = [
            m("a", &[], &[], "Plan", 1),
            m("b", &["a"], &[], "Re: Plan", 2),
            m("b", &["zzz"], &[], "Re: Plan (copy)", 2),
            m("c", &["a", "b"], &[], "Re: Plan", 3),
            m("b", &["a"], &[], "Re: Plan", 9),
        ];
        assert_eq!(draw(&ms), "a(b(c),b,b)");
        let f = build(&inputs(&ms));
        let a = f.roots[0];
        let kinds: Vec<_> = f.nodes[a]
            .children
            .iter()
            .map(|&c| f.nodes[c].kind.clone())
            .collect();
        assert_eq!(
            kinds,
            [NodeKind::Doc(1), NodeKind::Doc(2), NodeKind::Doc(4)]
        );
        // A duplicate of a root is a separate root.
        let ms = [m("a", &[], &[], "Plan", 1), m("a", &[], &[], "Plan", 2)];
        assert_eq!(draw(&ms), "a a");
        // ... which subject fallback may adopt (imaptest thread3).
        let ms = [m("a", &[], &[], "foo", 1), m("a", &[], &[], "Re: foo", 2)];
        assert_eq!(draw(&ms), "a(a)");
    }

    #[test]
    fn two_message_loop() {
        let ms = [
            m("a", &[], &["b"], "ping", 1),
            m("b", &[], &["a"], "pong", 2),
        ];
        let out = draw(&ms);
        assert!(out == "a(b)" || out == "b(a)", "{out}");
        // Through References too.
        let ms = [
            m("a", &["b"], &[], "ping", 1),
            m("b", &["a"], &[], "pong", 2),
        ];
        let out = draw(&ms);
        assert!(out == "a(b)" || out == "b(a)", "{out}");
    }

    #[test]
    fn self_reference() {
        let ms = [m("a", &["a"], &["a"], "me", 1)];
        assert_eq!(draw(&ms), "a");
        // Its own id is ignored: the other references still place it.
        let ms = [
            m("a", &["x", "a", "y"], &[], "me", 1),
            m("b", &["a"], &[], "Re: me", 2),
        ];
        assert_eq!(draw(&ms), "?x(?y(a(b)))");
        let ms = [
            m("p", &[], &[], "topic", 1),
            m("a", &["p", "a"], &["a"], "Re: topic", 2),
        ];
        assert_eq!(draw(&ms), "p(a)");
        // A duplicate that names the owner's id: still a sibling.
        let ms = [
            m("p", &[], &[], "topic", 1),
            m("a", &["p"], &[], "Re: topic", 2),
            m("a", &["a"], &[], "Re: topic", 3),
        ];
        assert_eq!(draw(&ms), "p(a,a)");
    }

    #[test]
    fn cyclic_references() {
        // References that go round: a→b→c→a, and longer rings.
        let ms = [
            m("a", &["c", "b"], &[], "x", 1),
            m("b", &["a", "c"], &[], "x", 2),
            m("c", &["b", "a"], &[], "x", 3),
        ];
        draw(&ms);
        let ring: Vec<String> = (0..50).map(|i| format!("r{i}")).collect();
        let ms: Vec<M> = (0..50)
            .map(|i| {
                let refs: Vec<&str> = (1..50).map(|j| ring[(i + j) % 50].as_str()).collect();
                m(&ring[i], &refs, &[], "ring", i as i64)
            })
            .collect();
        draw(&ms);
    }

    #[test]
    fn no_message_id_and_empty_ids() {
        let ms = [
            m("", &["a"], &[], "x", 1),
            m("", &["a"], &[], "y", 2),
            m("", &["", " "], &[""], "z", 3),
        ];
        assert_eq!(draw(&ms), "#2 ?a(#0,#1)");
    }

    #[test]
    fn preorder_walk_matches_the_forest() {
        let mut ms = vec![
            m("a", &[], &[], "plan", 5),
            m("b", &["a"], &[], "Re: plan", 6),
            m("c", &["a", "b"], &[], "Re: plan", 7),
            m("d", &["gone", "x"], &[], "Re: other", 2),
            m("e", &["gone"], &[], "Re: other", 1),
            m("f", &[], &[], "Re: plan", 9),
            m("", &[], &["a"], "Re: plan", 8),
            m("g", &[], &[], "alone", 3),
        ];
        ms[7].date = None;
        let forest = build(&inputs(&ms));
        let mut expected = Vec::new();
        for (n, depth) in forest.depth_first() {
            let node = &forest.nodes[n];
            let last = match node.parent {
                Some(p) => forest.nodes[p].children.last() == Some(&n),
                None => forest.roots.last() == Some(&n),
            };
            let kind = match &node.kind {
                NodeKind::Doc(d) => format!("doc {d}"),
                NodeKind::Missing(id) => format!("missing {id}"),
            };
            expected.push((kind, depth as u32, last));
        }
        let mut walked = Vec::new();
        let all = inputs(&ms);
        build_preorder(
            all.len(),
            |i| all[i],
            |v| {
                let kind = match v.kind {
                    Visited::Doc(d) => format!("doc {d}"),
                    Visited::Missing(id) => format!("missing {id}"),
                };
                walked.push((kind, v.depth, v.last_child));
            },
        );
        assert_eq!(walked, expected);
        assert!(expected.iter().any(|(k, _, _)| k.starts_with("missing")));
        assert!(expected.iter().any(|(_, d, _)| *d == 2));
    }

    #[test]
    fn undated_messages_sort_last() {
        let mut ms = vec![
            m("a", &[], &[], "p", 1),
            m("b", &["a"], &[], "q", 0),
            m("c", &["a"], &[], "r", 5),
            m("d", &[], &[], "s", 0),
            m("e", &[], &[], "t", 3),
        ];
        ms[1].date = None;
        ms[3].date = None;
        assert_eq!(draw(&ms), "a(c,b) e d");
    }

    /// A message threaded by hand: empty refs make it a thread of its own,
    /// which neither a later message's References nor its reply subject
    /// can undo; refs naming another parent put it there.
    #[test]
    fn pinned_messages_stay_where_the_user_put_them() {
        let base = || {
            vec![
                m("a", &[], &[], "Budget", 1),
                m("b", &["a"], &[], "Re: Budget", 2),
                m("c", &["a", "b"], &[], "Re: Budget", 3),
            ]
        };
        assert_eq!(draw(&base()), "a(b(c))");
        // Break b off: c still replies to b.
        let mut ms = base();
        ms[1].refs = ThreadRefs::default();
        ms[1].pinned = true;
        assert_eq!(draw(&ms), "b(c) a");
        // Still broken when the message naming it in References comes first.
        let mut ms = base();
        ms.swap(1, 2);
        ms[2].refs = ThreadRefs::default();
        ms[2].pinned = true;
        assert_eq!(draw(&ms), "b(c) a");
        // Unpinned, empty refs alone would be put back by the subject.
        let mut ms = base();
        ms[1].refs = ThreadRefs::default();
        ms[2].refs = ThreadRefs::new(["b"], []);
        assert_eq!(draw(&ms), "a(b(c))");
        // Linked by hand under another thread's message.
        let mut ms = base();
        ms.push(m("x", &[], &[], "Other", 0));
        ms[2].refs = ThreadRefs::new(["x"], []);
        ms[2].pinned = true;
        assert_eq!(draw(&ms), "x(c) a(b)");
        // A pinned duplicate goes where the user put it, not by its twin.
        let mut ms = base();
        ms.push(m("x", &[], &[], "Other", 0));
        ms.push(m("b", &["a"], &[], "Re: Budget", 2));
        ms[4].refs = ThreadRefs::new(["x"], []);
        ms[4].pinned = true;
        assert_eq!(draw(&ms), "a(b(c)) x(b)");
    }

    #[test]
    fn long_chain_does_not_overflow() {
        const N: usize = 100_000;
        let ids: Vec<String> = (0..N).map(|i| format!("m{i}@x")).collect();
        let ms: Vec<M> = (0..N)
            .map(|i| M {
                id: Some(ids[i].clone()),
                refs: ThreadRefs::new(i.checked_sub(1).map(|p| ids[p].as_str()), []),
                subject: "Re: long".into(),
                date: Some(i as i64),
                pinned: false,
            })
            .collect();
        for order in ["forward", "reverse"] {
            let mut input = inputs(&ms);
            if order == "reverse" {
                input.reverse();
            }
            let start = std::time::Instant::now();
            let f = build(&input);
            let took = start.elapsed();
            eprintln!("100k chain ({order}): {took:?}");
            assert_eq!(f.roots.len(), 1);
            assert_eq!(f.nodes.len(), N);
            assert_eq!(f.depth_first().last().map(|(_, d)| d), Some(N - 1));
            assert!(took.as_secs() < 10, "too slow: {took:?}");
        }
    }

    #[test]
    fn subject_fallback() {
        // A reply whose parent is unknown joins the non-reply root.
        let ms = [
            m("a", &[], &[], "Budget", 1),
            m("b", &[], &[], "RE: budget", 2),
            m("c", &[], &[], "Fwd: [team] Budget", 3),
        ];
        assert_eq!(draw(&ms), "a(b,c)");
        // Two non-replies stay apart; the reply goes to the earliest.
        let ms = [
            m("a", &[], &[], "Meeting", 5),
            m("b", &[], &[], "Meeting", 1),
            m("c", &[], &[], "Re: Meeting", 6),
        ];
        assert_eq!(draw(&ms), "b(c) a");
        // Empty subjects never merge.
        let ms = [
            m("a", &[], &[], "", 1),
            m("b", &[], &[], "Re:", 2),
            m("c", &[], &[], "Re: ", 3),
        ];
        assert_eq!(draw(&ms), "c b a");
        // Replies alone stay apart.
        let ms = [m("a", &[], &[], "Re: x", 1), m("b", &[], &[], "Re: x", 2)];
        assert_eq!(draw(&ms), "b a");
        // A reply thread with a missing root moves under the original
        // (imaptest thread4), keeping the gap visible.
        let ms = [
            m("a", &[], &[], "foo", 1),
            m("b", &["c"], &[], "Re: foo", 2),
        ];
        assert_eq!(draw(&ms), "a(?c(b))");
        // Without a non-reply message, reply roots join the missing root.
        let ms = [
            m("b", &["c"], &[], "Re: foo", 2),
            m("d", &[], &[], "Re: foo", 3),
        ];
        assert_eq!(draw(&ms), "?c(b,d)");
        // Only roots are merged: a reply already in a thread stays there.
        let ms = [
            m("a", &[], &[], "foo", 1),
            m("x", &[], &[], "bar", 2),
            m("b", &["x"], &[], "Re: foo", 3),
        ];
        assert_eq!(draw(&ms), "x(b) a");
        // build_by_ids leaves all of that alone.
        let ms = [
            m("a", &[], &[], "Budget", 1),
            m("b", &[], &[], "RE: budget", 2),
        ];
        let f = build_by_ids(&inputs(&ms));
        check(&f, ms.len());
        assert_eq!(f.roots.len(), 2);
    }

    #[test]
    fn normalize_subject_cases() {
        let cases = [
            ("Re: Hello", "hello"),
            ("RE: re: Re[2]: Re(3): Hello", "hello"),
            ("Fwd: Fw: FW: hello", "hello"),
            ("TR: Réunion", "réunion"),
            ("Réf. : Dossier 12", "dossier 12"),
            ("Réf.: Dossier 12", "dossier 12"),
            ("RÉF : Dossier 12", "dossier 12"),
            ("Ref: Dossier 12", "dossier 12"),
            ("[equipe] Re: RE: Fwd: Planning", "planning"),
            ("Re: [equipe] Fwd: [autre]  Planning  ", "planning"),
            ("AW: WG: Angebot", "angebot"),
            ("SV: Møte", "møte"),
            ("Re : hello", "hello"),
            ("  Hello    World ", "hello world"),
            ("Hello (fwd)", "hello"),
            ("[foo] Fwd: [bar] Re: fw: b (fWd)  (fwd)", "b"),
            ("re: [fwd: [fwd: re: [fwd: babylon]]]", "babylon"),
            ("Re: [FWD: c]", "c"),
            ("[xyz]", "[xyz]"),
            ("Ad: Re: x", "ad: re: x"),
            ("Reply: hello", "reply: hello"),
            ("Rebate: 10%", "rebate: 10%"),
            ("Re:", ""),
            ("", ""),
            ("回复：会议", "会议"),
        ];
        for (input, want) in cases {
            assert_eq!(normalize_subject(input), want, "{input:?}");
        }
        assert!(is_reply_subject("Re: x"));
        assert!(is_reply_subject("[list] RE: x"));
        assert!(is_reply_subject("TR: x"));
        assert!(is_reply_subject("Réf. : x"));
        assert!(is_reply_subject("x (fwd)"));
        assert!(!is_reply_subject("x"));
        assert!(!is_reply_subject("[list] x"));
        assert!(!is_reply_subject("Rebate: x"));
        assert!(!is_reply_subject(""));
    }

    #[test]
    fn weird_subjects_do_not_panic() {
        for s in [
            "[", "]", "[[[", "[fwd:]", "[fwd:", "(fwd)", "é(fwd)", "Re[", "Re(2", "Re[x]:", "ééé:",
            "\u{0}",
        ] {
            let _ = normalize_subject(s);
            let _ = is_reply_subject(s);
        }
    }

    #[test]
    fn empty_input() {
        let f = build(&[]);
        assert!(f.nodes.is_empty() && f.roots.is_empty());
    }
}
