//! A document's claimed dates against its container's: a DOCX last
//! modified after the e-mail that carried it was sent is flagged in its
//! preview; one modified before says its dates agree.

mod common;

use std::io::Write;

use trawl::extract::cache::Cache;
use trawl::workspace::Workspace;

/// A DOCX whose core properties say it was created and last modified at
/// the given times.
fn docx(created: &str, modified: &str) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts =
        zip::write::SimpleFileOptions::default().last_modified_time(zip::DateTime::default());
    zip.start_file("word/document.xml", opts).expect("part");
    zip.write_all(
        br#"<w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Attestation de don</w:t></w:r></w:p></w:body></w:document>"#,
    )
    .expect("write");
    zip.start_file("docProps/core.xml", opts).expect("part");
    write!(
        zip,
        r#"<cp:coreProperties xmlns:cp="cp" xmlns:dc="dc" xmlns:dcterms="t"><dc:creator>Jean</dc:creator><dcterms:created>{created}</dcterms:created><dcterms:modified>{modified}</dcterms:modified></cp:coreProperties>"#
    )
    .expect("write");
    zip.finish().expect("zip").into_inner()
}

/// An e-mail sent on 16 March 2017 carrying `attachment` as `name`.
fn mail(name: &str, attachment: &[u8]) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD.encode(attachment);
    format!(
        "From: Jean <jean@campagne.example>\r\nTo: t@campagne.example\r\n\
         Subject: Attestation\r\nDate: Thu, 16 Mar 2017 10:02:11 +0100\r\n\
         Message-ID: <{name}@campagne.example>\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n\
         --b\r\nContent-Type: text/plain\r\n\r\nci-joint\r\n\
         --b\r\nContent-Type: application/octet-stream; name=\"{name}\"\r\n\
         Content-Disposition: attachment; filename=\"{name}\"\r\n\
         Content-Transfer-Encoding: base64\r\n\r\n{b64}\r\n--b--\r\n"
    )
}

#[test]
fn a_document_modified_after_its_e_mail_was_sent_is_flagged() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir(&root).expect("dump");
    let late = docx("2017-03-01T09:00:00Z", "2017-03-20T18:30:00Z");
    let fine = docx("2017-03-01T09:00:00Z", "2017-03-15T18:30:00Z");
    std::fs::write(root.join("late.eml"), mail("late.docx", &late)).expect("write");
    std::fs::write(root.join("fine.eml"), mail("fine.docx", &fine)).expect("write");
    let data = common::data_dir();
    let ws = Workspace::open_in(&root, data.path()).expect("open");
    let cache = Cache::new(&ws.project.dir);
    let provenance = |name: &str| -> Vec<String> {
        let id = (0..ws.scan.docs.len())
            .find(|&d| ws.doc(d).subject() == name)
            .unwrap_or_else(|| panic!("{name} is a document"));
        let outcome = cache.extract_doc(&ws.scan.root, ws.doc(id));
        let mut p = trawl::preview::extracted_preview(ws.doc(id), Some(&outcome));
        trawl::preview::add_provenance(&mut p, &ws.scan.docs, id, Some(&outcome));
        p.headers
            .iter()
            .filter(|(k, _)| *k == "Provenance")
            .map(|(_, v)| v.clone())
            .collect()
    };
    assert_eq!(
        provenance("late.docx"),
        ["! modified 2017-03-20T18:30:00Z, after the e-mail carrying it was sent (2017-03-16)"]
    );
    assert_eq!(
        provenance("fine.docx"),
        ["its dates agree with its container's"]
    );
}
