//! Messages signed by the tests themselves, with keys they generate.

use mail_auth::common::crypto::{Ed25519Key, RsaKey, Sha256, SigningKey};
use mail_auth::common::headers::HeaderWriter;
use mail_auth::dkim::generate::DkimKeyPair;
use mail_auth::dkim::DkimSigner;
use rustls_pki_types::{PrivateKeyDer, PrivatePkcs1KeyDer};

pub const MESSAGE: &str = "From: Jean Moulinier <jean@campagne.example>\r\n\
To: tresorier@campagne.example\r\n\
Subject: Virement Verdanne\r\n\
Date: Thu, 16 Mar 2017 10:02:11 +0100\r\n\
Message-ID: <v1@campagne.example>\r\n\
\r\n\
Le virement de 48 000 EUR part demain.\r\n\
Jean\r\n";

/// A key pair made for the test, and its TXT record.
pub struct Signer {
    pub rsa: bool,
    pub private: Vec<u8>,
    pub record: String,
}

pub fn rsa_signer() -> Signer {
    let pair = DkimKeyPair::generate_rsa(2048).expect("rsa key");
    Signer {
        rsa: true,
        record: format!("v=DKIM1; k=rsa; p={}", pair.encoded_public_key()),
        private: pair.private_key().to_vec(),
    }
}

pub fn ed25519_signer() -> Signer {
    let pair = DkimKeyPair::generate_ed25519().expect("ed25519 key");
    Signer {
        rsa: false,
        record: format!("v=DKIM1; k=ed25519; p={}", pair.encoded_public_key()),
        private: pair.private_key().to_vec(),
    }
}

pub fn sign_with(key: impl SigningKey, message: &str, length: bool, selector: &str) -> String {
    let sig = DkimSigner::from_key(key)
        .domain("campagne.example")
        .selector(selector)
        .headers(["From", "To", "Subject", "Date"])
        .body_length(length)
        .sign(message.as_bytes())
        .expect("sign");
    format!("{}{message}", sig.to_header())
}

/// `message` signed by `campagne.example`, selector `s1`, over From, To,
/// Subject and Date; with `l=` when `length`.
pub fn signed(s: &Signer, message: &str, length: bool) -> String {
    signed_as(s, message, length, "s1")
}

pub fn signed_as(s: &Signer, message: &str, length: bool, selector: &str) -> String {
    if s.rsa {
        let der = PrivateKeyDer::Pkcs1(PrivatePkcs1KeyDer::from(s.private.clone()));
        let key = RsaKey::<Sha256>::from_key_der(der).expect("key");
        sign_with(key, message, length, selector)
    } else {
        let key = Ed25519Key::from_pkcs8_der(&s.private).expect("key");
        sign_with(key, message, length, selector)
    }
}

/// A dump of three messages: `intact` (signed), `altered` (signed, body
/// changed since) and `plain` (not signed), in `dump/` of the folder.
pub fn three_messages(s: &Signer) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("dump");
    std::fs::create_dir(&root).expect("dump");
    let message = |subject: &str, day: u32| {
        MESSAGE
            .replace("Virement Verdanne", subject)
            .replace("16 Mar", &format!("{day} Mar"))
            .replace("<v1@", &format!("<v{day}@"))
    };
    std::fs::write(root.join("a.eml"), signed(s, &message("intact", 16), false)).expect("w");
    std::fs::write(
        root.join("b.eml"),
        signed(s, &message("altered", 17), false).replace("48 000", "88 000"),
    )
    .expect("w");
    std::fs::write(root.join("c.eml"), message("plain", 19)).expect("w");
    (tmp, root)
}
