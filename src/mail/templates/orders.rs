//! The e-mails about orders: received (with the bank accounts for a transfer), shipped,
//! cancelled, and the administrators' "new order".

use super::{Content, render};
use crate::locale::Locale;
use crate::mail::Mail;
use crate::money::Money;

/// An order as its e-mails show it.
pub struct OrderMail<'a> {
    pub number: &'a str,
    /// The order's page on the storefront.
    pub link: &'a str,
    /// Name, quantity and line total of each line.
    pub lines: Vec<(&'a str, i32, Money)>,
    pub subtotal: Money,
    pub discount: Money,
    pub shipping: Money,
    pub payment_fee: Money,
    pub total: Money,
    /// The recipient, phone and address, as lines.
    pub ship_to: String,
    /// Bank, holder and IBAN of each account a transfer may go to (empty when the
    /// order is not paid by transfer).
    pub bank_accounts: Vec<(&'a str, &'a str, String)>,
    pub cash_on_delivery: bool,
}

impl OrderMail<'_> {
    fn summary(&self, locale: Locale) -> String {
        let words = match locale {
            Locale::Tr => [
                "Ara toplam",
                "İndirim",
                "Kargo",
                "Kapıda ödeme ücreti",
                "Toplam",
            ],
            Locale::En => [
                "Subtotal",
                "Discount",
                "Shipping",
                "Cash on delivery fee",
                "Total",
            ],
        };
        let mut text: Vec<String> = self
            .lines
            .iter()
            .map(|(name, quantity, total)| format!("{quantity} × {name}: {}", total.format(locale)))
            .collect();
        text.push(format!("{}: {}", words[0], self.subtotal.format(locale)));
        if self.discount > Money::ZERO {
            text.push(format!("{}: -{}", words[1], self.discount.format(locale)));
        }
        text.push(format!("{}: {}", words[2], self.shipping.format(locale)));
        if self.payment_fee > Money::ZERO {
            text.push(format!("{}: {}", words[3], self.payment_fee.format(locale)));
        }
        text.push(format!("{}: {}", words[4], self.total.format(locale)));
        text.join("\n")
    }

    fn accounts(&self) -> String {
        self.bank_accounts
            .iter()
            .map(|(bank, holder, iban)| format!("{bank}\n{holder}\nIBAN: {iban}"))
            .collect::<Vec<_>>()
            .join("\n\n")
    }
}

/// To the customer: the order was received.
pub fn order_received(locale: Locale, site: &str, to: &str, order: &OrderMail<'_>) -> Mail {
    let number = order.number;
    let mut paragraphs = match locale {
        Locale::Tr => vec![format!(
            "{number} numaralı siparişinizi aldık. Siparişinizin durumunu aşağıdaki bağlantıdan izleyebilirsiniz."
        )],
        Locale::En => vec![format!(
            "We received your order {number}. Follow its status with the link below."
        )],
    };
    paragraphs.push(order.summary(locale));
    if !order.bank_accounts.is_empty() {
        paragraphs.push(match locale {
            Locale::Tr => format!(
                "Lütfen {} tutarını aşağıdaki hesaplardan birine havale/EFT ile gönderin ve açıklamaya sipariş numaranızı ({number}) yazın. Ödemeniz ulaştığında siparişinizi hazırlamaya başlarız.",
                order.total.format(locale)
            ),
            Locale::En => format!(
                "Please transfer {} to one of the accounts below and write your order number ({number}) in the description. We start preparing your order once the payment arrives.",
                order.total.format(locale)
            ),
        });
        paragraphs.push(order.accounts());
    }
    if order.cash_on_delivery {
        paragraphs.push(match locale {
            Locale::Tr => "Ödemeyi teslimatta kargo görevlisine yapacaksınız.".to_owned(),
            Locale::En => "You pay the carrier on delivery.".to_owned(),
        });
    }
    paragraphs.push(match locale {
        Locale::Tr => format!("Teslimat adresi:\n{}", order.ship_to),
        Locale::En => format!("Delivery address:\n{}", order.ship_to),
    });
    let (subject, greeting, label, closing) = match locale {
        Locale::Tr => (
            format!("Siparişiniz alındı ({number})"),
            "Merhaba,",
            "Siparişi görüntüle",
            "Teşekkür ederiz,",
        ),
        Locale::En => (
            format!("Your order was received ({number})"),
            "Hello,",
            "View the order",
            "Thank you,",
        ),
    };
    render(
        to,
        site,
        Content {
            subject,
            greeting: greeting.into(),
            paragraphs,
            link: Some((label.into(), order.link.into())),
            closing: closing.into(),
        },
    )
}

/// To the customer: the order was handed to the carrier.
pub fn order_shipped(
    locale: Locale,
    site: &str,
    to: &str,
    number: &str,
    carrier: &str,
    tracking_number: &str,
    tracking_link: &str,
) -> Mail {
    let content = match locale {
        Locale::Tr => Content {
            subject: format!("Siparişiniz kargoya verildi ({number})"),
            greeting: "Merhaba,".into(),
            paragraphs: vec![format!(
                "{number} numaralı siparişiniz {carrier} ile yola çıktı. Takip numarası: {tracking_number}"
            )],
            link: Some(("Kargoyu takip et".into(), tracking_link.into())),
            closing: "İyi günlerde kullanın,".into(),
        },
        Locale::En => Content {
            subject: format!("Your order has shipped ({number})"),
            greeting: "Hello,".into(),
            paragraphs: vec![format!(
                "Your order {number} is on its way with {carrier}. Tracking number: {tracking_number}"
            )],
            link: Some(("Track the parcel".into(), tracking_link.into())),
            closing: "Enjoy,".into(),
        },
    };
    render(to, site, content)
}

/// To the customer: the order was cancelled.
pub fn order_cancelled(
    locale: Locale,
    site: &str,
    to: &str,
    number: &str,
    link: &str,
    paid_by_transfer: bool,
) -> Mail {
    let content = match locale {
        Locale::Tr => Content {
            subject: format!("Siparişiniz iptal edildi ({number})"),
            greeting: "Merhaba,".into(),
            paragraphs: vec![
                format!("{number} numaralı siparişiniz iptal edildi."),
                if paid_by_transfer {
                    "Havale ile ödeme yaptıysanız tutar aynı hesaba iade edilecektir.".into()
                } else {
                    "Sizden bir ödeme alınmadı.".into()
                },
            ],
            link: Some(("Siparişi görüntüle".into(), link.into())),
            closing: "Sevgiler,".into(),
        },
        Locale::En => Content {
            subject: format!("Your order was cancelled ({number})"),
            greeting: "Hello,".into(),
            paragraphs: vec![
                format!("Your order {number} was cancelled."),
                if paid_by_transfer {
                    "If you paid by transfer, the amount is refunded to the same account.".into()
                } else {
                    "No payment was taken.".into()
                },
            ],
            link: Some(("View the order".into(), link.into())),
            closing: "Best regards,".into(),
        },
    };
    render(to, site, content)
}

/// To an administrator: a new order arrived.
pub fn new_order(
    site: &str,
    to: &str,
    customer: &str,
    order: &OrderMail<'_>,
    dashboard_link: &str,
) -> Mail {
    let number = order.number;
    let payment = if !order.bank_accounts.is_empty() {
        "Havale/EFT (ödeme bekleniyor)"
    } else {
        "Kapıda ödeme"
    };
    render(
        to,
        site,
        Content {
            subject: format!("Yeni sipariş {number}"),
            greeting: format!("{customer} yeni bir sipariş verdi."),
            paragraphs: vec![
                format!("Sipariş: {number}\nÖdeme: {payment}"),
                order.summary(Locale::Tr),
                format!("Teslimat adresi:\n{}", order.ship_to),
            ],
            link: Some(("Yönetim panelinde aç".into(), dashboard_link.into())),
            closing: "Vitrin".into(),
        },
    )
}
