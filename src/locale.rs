//! The languages people read the site in: Turkish (the default) and English.

crate::stored_enum::stored_enum! {
    /// The language of a user's e-mails and dashboard.
    #[derive(Default)]
    pub enum Locale {
        #[default]
        Tr = "tr",
        En = "en",
    }
}
