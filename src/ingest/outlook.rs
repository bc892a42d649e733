//! Outlook `.msg` files (a compound file, read with `msg_parser`) listed as
//! e-mail: sender, recipients, subject, date and Message-ID in the tree,
//! threaded with the rest. Their text comes from extraction (the bytes are
//! not RFC 822), their attachments from [`super::parts`].

use crate::model::{DocKind, Document, Envelope};

/// The `file_type` of a message read from an Outlook file.
pub const FILE_TYPE: &str = "msg";

/// Turn `doc`, an Outlook message's file, into the e-mail `msg` it holds.
pub fn read_as_mail(doc: &mut Document, msg: &msg_parser::Outlook) {
    let clip = |s: &str| super::mail::clip(s.trim());
    let (from, from_addr) = (clip(&msg.sender.name), clip(&msg.sender.email));
    let from = if from == from_addr {
        String::new()
    } else {
        from
    };
    let recipients = super::mail::people_brief(
        msg.to
            .iter()
            .chain(&msg.cc)
            .map(|p| (Some(p.name.as_str()), Some(p.email.as_str()))),
    );
    let message_id = clip(
        msg.headers
            .message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>'),
    );
    let subject = clip(&msg.subject);
    let warning = doc.warning().map(str::to_string);
    let envelope = Envelope {
        message_id: Some(message_id.as_str()).filter(|m| !m.is_empty()),
        subject: &subject,
        from: &from,
        from_addr: &from_addr,
        recipients: &recipients,
        file_type: FILE_TYPE,
        warning: warning.as_deref(),
    };
    doc.set_envelope(&envelope);
    doc.kind = DocKind::Mail;
    let when = [
        &msg.client_submit_time,
        &msg.message_delivery_time,
        &msg.creation_time,
    ];
    let date = when
        .into_iter()
        .find_map(|t| chrono::DateTime::parse_from_rfc3339(t.trim()).ok());
    if let Some(t) = date {
        doc.date = Some(t.timestamp());
    }
}
