/**
 * Turkish texts: the dashboard's default language and the fallback for any text another
 * language lacks. `{name}` placeholders are filled by `translate`.
 */
export const tr = {
  'app.name': 'Vitrin',
  'app.tagline': 'Yönetim paneli',
  'app.loading': 'Yükleniyor…',
  'app.skipToContent': 'İçeriğe geç',

  'common.save': 'Kaydet',
  'common.saving': 'Kaydediliyor…',
  'common.saved': 'Değişiklikler kaydedildi.',
  'common.close': 'Kapat',
  'common.cancel': 'Vazgeç',
  'common.comingSoon': 'Yakında',

  'lang.label': 'Dil',
  'lang.tr': 'Türkçe',
  'lang.en': 'English',
  'lang.saving': 'Dil tercihiniz kaydediliyor…',
  'lang.saved': 'Dil tercihiniz kaydedildi.',

  'nav.label': 'Ana menü',
  'nav.home': 'Ana sayfa',
  'nav.media': 'Medya',
  'nav.stats': 'İstatistikler',
  'nav.profile': 'Profil',
  'nav.signedInAs': 'Oturum açan: {name}',

  'auth.signOut': 'Çıkış yap',
  'auth.signingOut': 'Çıkış yapılıyor…',
  'auth.signedOut': 'Çıkış yaptınız. Tekrar görüşmek üzere!',

  'login.title': 'Giriş yap',
  'login.intro': 'Yönetim paneline girmek için e-posta adresinizi ve parolanızı yazın.',
  'login.email': 'E-posta',
  'login.password': 'Parola',
  'login.submit': 'Giriş yap',
  'login.submitting': 'Giriş yapılıyor…',
  'login.forgot': 'Parolamı unuttum',
  'login.emailMissing': 'E-posta adresinizi yazın.',
  'login.passwordMissing': 'Parolanızı yazın.',

  'forgot.title': 'Parolamı unuttum',
  'forgot.intro':
    'Hesabınızın e-posta adresini yazın; parolanızı yenilemeniz için size bir bağlantı gönderelim.',
  'forgot.email': 'E-posta',
  'forgot.submit': 'Bağlantı gönder',
  'forgot.submitting': 'Gönderiliyor…',
  'forgot.sent':
    'Bu adres bir hesaba aitse, parola yenileme bağlantısı birkaç dakika içinde gelecek. Gelen kutunuzu ve istenmeyen e-posta klasörünü kontrol edin. Bağlantı kısa bir süre geçerlidir.',
  'forgot.backToLogin': 'Giriş sayfasına dön',

  'reset.title': 'Yeni parola belirleyin',
  'reset.intro': 'Hesabınız için yeni bir parola seçin.',
  'reset.checking': 'Bağlantı kontrol ediliyor…',
  'reset.invalidTitle': 'Bağlantı geçersiz',
  'reset.invalid':
    'Bu parola yenileme bağlantısı geçersiz ya da süresi dolmuş. Bağlantılar kısa bir süre geçerlidir ve yalnızca bir kez kullanılabilir.',
  'reset.requestNew': 'Yeni bağlantı iste',
  'reset.newPassword': 'Yeni parola',
  'reset.repeatPassword': 'Yeni parola (tekrar)',
  'reset.submit': 'Parolayı kaydet',
  'reset.submitting': 'Kaydediliyor…',
  'reset.done': 'Parolanız değiştirildi. Yeni parolanızla giriş yapabilirsiniz.',

  'confirm.title': 'E-posta adresi değişikliği',
  'confirm.working': 'E-posta adresiniz onaylanıyor…',
  'confirm.done': 'E-posta adresiniz {email} olarak değiştirildi.',
  'confirm.doneSignIn': 'Bundan sonra bu adresle giriş yapabilirsiniz.',
  'confirm.failed': 'E-posta adresiniz değiştirilemedi.',
  'confirm.missing':
    'Bu sayfa yalnızca e-postadaki onay bağlantısıyla açılabilir. Bağlantıyı e-postanızdan yeniden açın ya da profil sayfanızdan yeni bir bağlantı isteyin.',
  'confirm.invalid':
    'Bu onay bağlantısı geçersiz ya da süresi dolmuş. Profil sayfanızdan yeni bir bağlantı isteyebilirsiniz.',
  'confirm.toProfile': 'Profile git',
  'confirm.toLogin': 'Giriş yap',
  'confirm.retry': 'Yeniden dene',

  'profile.title': 'Profil',
  'profile.intro': 'Adınızı, dilinizi, parolanızı ve e-posta adresinizi buradan yönetebilirsiniz.',
  'profile.infoTitle': 'Kişisel bilgiler',
  'profile.name': 'Adınız',
  'profile.nameHint': 'Panelde ve size gönderilen e-postalarda görünür.',
  'profile.language': 'Panelin ve e-postaların dili',
  'profile.memberSince': 'Hesap oluşturma: {date}',
  'profile.updatedAt': 'Son değişiklik: {date}',

  'profile.passwordTitle': 'Parola',
  'profile.passwordIntro':
    'Parolanızı değiştirdiğinizde diğer cihazlardaki oturumlarınız kapatılır; bu cihazdaki oturumunuz açık kalır.',
  'profile.currentPassword': 'Mevcut parola',
  'profile.newPassword': 'Yeni parola',
  'profile.repeatPassword': 'Yeni parola (tekrar)',
  'profile.changePassword': 'Parolayı değiştir',
  'profile.changingPassword': 'Değiştiriliyor…',
  'profile.passwordChanged': 'Parolanız değiştirildi. Diğer cihazlardaki oturumlarınız kapatıldı.',

  'profile.emailTitle': 'E-posta adresi',
  'profile.emailCurrent': 'Giriş yaptığınız ve bildirimleri aldığınız adres:',
  'profile.changeEmail': 'E-posta adresini değiştir',
  'profile.emailDialogTitle': 'E-posta adresini değiştir',
  'profile.emailDialogIntro':
    'Yeni adresinize bir onay bağlantısı göndereceğiz. Değişiklik, o bağlantıya tıkladığınızda geçerli olur.',
  'profile.newEmail': 'Yeni e-posta adresi',
  'profile.emailPassword': 'Mevcut parolanız',
  'profile.sendConfirmation': 'Onay bağlantısı gönder',
  'profile.sendingConfirmation': 'Gönderiliyor…',
  'profile.emailSent':
    'Onay bağlantısını {email} adresine gönderdik. Değişikliği tamamlamak için o adrese gelen e-postadaki bağlantıya tıklayın. O zamana kadar şu anki adresinizi kullanmaya devam edersiniz.',

  'profile.sessionTitle': 'Oturum',
  'profile.sessionIntro': 'Bu cihazdaki oturumunuzu kapatır.',

  'home.title': 'Hoş geldiniz, {name}',
  'home.titleNoName': 'Hoş geldiniz',
  'home.intro': 'Sitenizi buradan yönetebilirsiniz. Ne yapmak istersiniz?',
  'home.addName': 'Adınızı henüz eklemediniz. Profil sayfanızdan ekleyebilirsiniz.',
  'home.addNameLink': 'Adımı ekle',
  'home.profileText': 'Adınızı, dilinizi, parolanızı ve e-posta adresinizi yönetin.',
  'home.mediaText': 'Fotoğraf ve videolarınızı yükleyin, kırpın ve düzenleyin.',
  'home.statsText': 'Sitenizin ziyaretçi sayılarını canlı izleyin.',

  'soon.text': 'Bu bölüm hazırlanıyor ve çok yakında burada olacak.',
  'soon.back': 'Ana sayfaya dön',

  'notFound.title': 'Sayfa bulunamadı',
  'notFound.text': 'Aradığınız sayfa yok ya da taşınmış olabilir.',
  'notFound.back': 'Ana sayfaya dön',
  'notFound.toLogin': 'Giriş sayfasına git',

  'notAdmin.title': 'Bu panel yöneticiler içindir',
  'notAdmin.text': 'Hesabınızın bu panele erişim yetkisi yok.',

  'password.label': 'Parola',
  'password.show': 'Göster',
  'password.hide': 'Gizle',
  'password.showLabel': 'Parolayı göster',
  'password.hideLabel': 'Parolayı gizle',
  'password.hint':
    'Büyük harf, rakam ya da simge zorunlu değildir: uzun ve akılda kalan bir cümle iyi bir paroladır. Çok yaygın parolalar kabul edilmez.',
  'password.ruleLength': '{min}–{max} karakter (şu an {count})',
  'password.ruleMatch': 'İki parola birbirinin aynı',
  'password.ruleMet': 'tamam',
  'password.ruleUnmet': 'henüz değil',
  'password.missing': 'Parolayı yazın.',
  'password.tooShort': 'Parola en az {min} karakter olmalı.',
  'password.tooLong': 'Parola en fazla {max} karakter olabilir.',
  'password.mismatch': 'Parolalar birbirinin aynı değil.',
  'password.common': 'Bu parola çok yaygın kullanılıyor; lütfen başka bir parola seçin.',

  'error.wrongCredentials': 'E-posta adresi veya parola hatalı.',
  'error.rateLimitedLogin': 'Çok fazla başarısız deneme yapıldı. Lütfen {wait} sonra yeniden deneyin.',
  'error.rateLimited': 'Çok fazla deneme yapıldı. Lütfen {wait} sonra yeniden deneyin.',
  'error.sessionEnded': 'Oturumunuz sona erdi. Devam etmek için yeniden giriş yapın.',
  'error.forbidden': 'Bu işlem için yetkiniz yok.',
  'error.notFound': 'Aradığınız kayıt bulunamadı.',
  'error.conflict': 'Bu işlem başka bir değişiklikle çakıştı. Sayfayı yenileyip yeniden deneyin.',
  'error.network': 'Sunucuya ulaşılamadı. İnternet bağlantınızı kontrol edip yeniden deneyin.',
  'error.internal': 'Sunucuda beklenmeyen bir hata oluştu. Lütfen biraz sonra yeniden deneyin.',
  'error.unknown': 'Bir şeyler ters gitti. Lütfen yeniden deneyin.',
  'error.currentPasswordWrong': 'Mevcut parolanız hatalı.',
  'error.samePassword': 'Yeni parola, mevcut parolanızdan farklı olmalı.',
  'error.emailMissing': 'E-posta adresini yazın.',
  'error.invalidEmail': 'Geçerli bir e-posta adresi yazın.',
  'error.sameEmail': 'Bu zaten kullandığınız e-posta adresi.',
  'error.invalidLink': 'Bu bağlantı geçersiz ya da süresi dolmuş. Lütfen yeni bir bağlantı isteyin.',
  'error.emailTaken': 'Bu e-posta adresi artık başka bir hesapta kullanılıyor.',
  'error.nameTooLong': 'Adınız en fazla {max} karakter olabilir.',
  'error.nameInvalid': 'Adınız geçersiz karakterler içeriyor.',
} as const satisfies Record<string, string>;

export type MessageKey = keyof typeof tr;
