//! Türkiye's 81 provinces, in the order of their licence-plate codes (01 Adana … 81
//! Düzce). A postal code's first two digits are its province's code.

use crate::text::fold;

/// The provinces' names, the n-th having the code n + 1.
pub const PROVINCES: [&str; 81] = [
    "Adana",
    "Adıyaman",
    "Afyonkarahisar",
    "Ağrı",
    "Amasya",
    "Ankara",
    "Antalya",
    "Artvin",
    "Aydın",
    "Balıkesir",
    "Bilecik",
    "Bingöl",
    "Bitlis",
    "Bolu",
    "Burdur",
    "Bursa",
    "Çanakkale",
    "Çankırı",
    "Çorum",
    "Denizli",
    "Diyarbakır",
    "Edirne",
    "Elazığ",
    "Erzincan",
    "Erzurum",
    "Eskişehir",
    "Gaziantep",
    "Giresun",
    "Gümüşhane",
    "Hakkari",
    "Hatay",
    "Isparta",
    "Mersin",
    "İstanbul",
    "İzmir",
    "Kars",
    "Kastamonu",
    "Kayseri",
    "Kırklareli",
    "Kırşehir",
    "Kocaeli",
    "Konya",
    "Kütahya",
    "Malatya",
    "Manisa",
    "Kahramanmaraş",
    "Mardin",
    "Muğla",
    "Muş",
    "Nevşehir",
    "Niğde",
    "Ordu",
    "Rize",
    "Sakarya",
    "Samsun",
    "Siirt",
    "Sinop",
    "Sivas",
    "Tekirdağ",
    "Tokat",
    "Trabzon",
    "Tunceli",
    "Şanlıurfa",
    "Uşak",
    "Van",
    "Yozgat",
    "Zonguldak",
    "Aksaray",
    "Bayburt",
    "Karaman",
    "Kırıkkale",
    "Batman",
    "Şırnak",
    "Bartın",
    "Ardahan",
    "Iğdır",
    "Yalova",
    "Karabük",
    "Kilis",
    "Osmaniye",
    "Düzce",
];

/// A province as people type it ("istanbul", "İSTANBUL", "Istanbul"): its proper name
/// and plate code.
pub fn find(typed: &str) -> Option<(&'static str, u8)> {
    let wanted = fold(typed.trim());
    PROVINCES
        .iter()
        .zip(1u8..)
        .find(|(name, _)| fold(name) == wanted)
        .map(|(name, code)| (*name, code))
}

/// Whether `postal_code` is five digits and belongs to the province with `code`.
pub fn postal_code_matches(postal_code: &str, code: u8) -> bool {
    postal_code.len() == 5
        && postal_code.bytes().all(|b| b.is_ascii_digit())
        && postal_code[..2] == format!("{code:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_province_is_found_whatever_the_letters() {
        assert_eq!(find("istanbul"), Some(("İstanbul", 34)));
        assert_eq!(find("  IZMIR "), Some(("İzmir", 35)));
        assert_eq!(find("şanlıurfa"), Some(("Şanlıurfa", 63)));
        assert_eq!(find("Düzce"), Some(("Düzce", 81)));
        assert_eq!(find("Narnia"), None);
        for (i, name) in PROVINCES.iter().enumerate() {
            assert_eq!(find(name).map(|(_, code)| usize::from(code)), Some(i + 1));
        }
    }

    #[test]
    fn a_postal_code_starts_with_its_provinces_code() {
        assert!(postal_code_matches("34710", 34));
        assert!(postal_code_matches("01120", 1));
        assert!(!postal_code_matches("06100", 34));
        assert!(!postal_code_matches("3471", 34));
        assert!(!postal_code_matches("3471a", 34));
    }
}
