"""Turkish-language sample articles (bianet, Evrensel styles). Synthetic texts."""

from __future__ import annotations

from tmwatch.samples.model import SampleArticle as A

BI = "bianet"
EV = "evrensel"

ARTICLES = [
    A(
        BI,
        "haber/turkmen-aktivist-dursoltan-taganova-gozaltina-alindi-251100",
        "tr",
        "2021-09-29T14:20:00+03:00",
        "Türkmen aktivist Dursoltan Taganova gözaltına alındı",
        (
            "İstanbul'da yaşayan Türkmenistanlı sivil aktivist Dursoltan Taganova 27 Eylül'de "
            "gözaltına alınarak geri gönderme merkezine götürüldü.",
            "Taganova'nın avukatı, müvekkilinin geçici koruma statüsü olduğunu ve sınır dışı "
            "edilmesinin hukuka aykırı olacağını söyledi. Göç idaresi ise statüye ilişkin belgeyi "
            "bulamadığını açıkladı.",
            "İnsan hakları örgütleri, Taganova'ya Türkmenistan'da işkence riski bulunduğunu "
            "hatırlatarak serbest bırakılması çağrısında bulundu.",
        ),
        author="Bianet Muhabiri",
    ),
    A(
        BI,
        "haber/rahmanov-ve-abulov-tuzla-geri-gonderme-merkezinde-252010",
        "tr",
        "2021-10-20T11:00:00+03:00",
        "Rahmanov ve Abulov Tuzla Geri Gönderme Merkezi'nde tutuluyor",
        (
            "Türkmenistanlı muhalif Ahmet Rahmanov, oturma iznini uzatmak için gittiği Antalya "
            "İl Göç İdaresi'nde gözaltına alındı. Rahmanov'un ardından Kamil Abulov da "
            "İstanbul'daki evinden alındı.",
            "İki aktivist de Tuzla Geri Gönderme Merkezi'ne konuldu. Abulov'un eşine, konsolosluk "
            "tarafından hazırlanan 25 kişilik bir liste olduğu söylendi.",
            "Avukatlar, aktivistlerin Türkmenistan'a iade edilmesi halinde ciddi tehlike altında "
            "olacağını belirtti.",
        ),
        slow=True,
    ),
    A(
        BI,
        "haber/turkmen-aktivistler-serbest-birakildi-252300",
        "tr",
        "2021-10-28T16:30:00+03:00",
        "Türkmen aktivistler Rahmanov ve Abulov serbest bırakıldı",
        (
            "Tuzla'daki geri gönderme merkezinde tutulan Ahmet Rahmanov ve Kamil Abulov 26 ve "
            "27 Ekim'de serbest bırakıldı.",
            "Rahmanov'un merkezde açlık grevi yaptığı öğrenildi. Avukatlar, uluslararası insan "
            "hakları örgütlerinin çağrılarının etkili olduğunu söyledi.",
            "Aktivistler Türkiye'de yasal statülerini düzenlemek için başvurularını sürdürecek.",
        ),
    ),
    A(
        BI,
        "haber/afgan-gocmenler-gozaltina-alindi-252400",
        "tr",
        "2021-10-29T09:00:00+03:00",
        "Van'da 40 Afgan göçmen gözaltına alındı",
        (
            "Van'da düzensiz yollarla ülkeye giren 40 Afgan göçmen jandarma tarafından gözaltına "
            "alındı.",
            "Göçmenlerin işlemlerinin ardından geri gönderme merkezine gönderileceği bildirildi. "
            "Aralarında çocukların da bulunduğu öğrenildi.",
            "Göç alanında çalışan dernekler, sınırda yaşanan geri itmelerin durdurulmasını istedi.",
        ),
    ),
    # The same story again under a legacy-style URL: an exact duplicate for dedup to cluster.
    A(
        BI,
        "bianet/goc/252401-afgan-gocmenler-gozaltina-alindi",
        "tr",
        "2021-10-29T09:00:00+03:00",
        "Van'da 40 Afgan göçmen gözaltına alındı",
        (
            "Van'da düzensiz yollarla ülkeye giren 40 Afgan göçmen jandarma tarafından gözaltına "
            "alındı.",
            "Göçmenlerin işlemlerinin ardından geri gönderme merkezine gönderileceği bildirildi. "
            "Aralarında çocukların da bulunduğu öğrenildi.",
            "Göç alanında çalışan dernekler, sınırda yaşanan geri itmelerin durdurulmasını istedi.",
        ),
    ),
    A(
        BI,
        "haber/kadikoyde-tiyatro-festivali-252500",
        "tr",
        "2021-11-02T10:00:00+03:00",
        "Kadıköy'de tiyatro festivali: <script>alert('xss')</script> sahnede",
        (
            "Kadıköy'de düzenlenen bağımsız tiyatro festivali bu yıl yirmi oyunla seyirciyle "
            "buluşuyor. Oyunların çoğu genç toplulukların yeni çalışmaları.",
            "Festival yöneticileri biletlerin öğrenciler için indirimli olduğunu hatırlattı. "
            "Gösterimler Kasım sonuna kadar sürecek.",
            "Bazı oyunlar İngilizce ve Kürtçe altyazıyla sahnelenecek.",
        ),
    ),
    A(
        BI,
        "haber/asgari-ucret-tartismasi-252600",
        "tr",
        "2021-11-04T12:00:00+03:00",
        "Asgari ücret tartışması başladı",
        (
            "Sendikalar yeni yıl için asgari ücret görüşmeleri öncesinde taleplerini açıkladı. "
            "Enflasyonun yükselmesi işçilerin alım gücünü düşürdü.",
            "İşveren örgütleri ise yüksek bir artışın istihdamı olumsuz etkileyeceğini savundu.",
            "Komisyonun Aralık ayında toplanması bekleniyor.",
        ),
    ),
    A(
        BI,
        "haber/kadin-cinayetleri-raporu-252700",
        "tr",
        "2021-11-05T12:00:00+03:00",
        "Ekim ayında kadın cinayetleri raporu yayımlandı",
        (
            "Kadın örgütlerinin derlediği rapora göre Ekim ayında çok sayıda kadın erkekler "
            "tarafından öldürüldü.",
            "Rapor, koruma kararlarının uygulanmasında ciddi eksiklikler olduğunu ortaya koydu.",
            "Örgütler İstanbul Sözleşmesi'ne dönülmesi çağrısını yineledi.",
        ),
    ),
    A(
        BI,
        "haber/deprem-tatbikati-252800",
        "tr",
        "2021-11-06T12:00:00+03:00",
        "İstanbul'da okullarda deprem tatbikatı yapıldı",
        (
            "İstanbul'daki okullarda deprem ve yangın tatbikatı düzenlendi. Öğrenciler tahliye "
            "planlarını uygulamalı olarak öğrendi.",
            "Uzmanlar, eski okul binalarının güçlendirilmesinin hâlâ tamamlanmadığını belirtti.",
            "Veliler tatbikatların daha sık yapılmasını istiyor.",
        ),
    ),
    A(
        EV,
        "haber/445100/turkmen-aktivist-allaliyev-pendik-geri-gonderme-merkezinde",
        "tr",
        "2021-10-23T12:30:00+03:00",
        "Türkmen aktivist Bayram Allalıyev Pendik Geri Gönderme Merkezi'nde",
        (
            "Türkmenistanlı aktivist Bayram Allalıyev, oturma iznini yenilemek için çağrıldığı "
            "İstanbul İl Göç İdaresi'nde gözaltına alındı.",
            "Allalıyev'in evrak doldurduğu sırada polis tarafından götürüldüğü ve Pendik Geri "
            "Gönderme Merkezi'ne konulduğu öğrenildi.",
            "Türkmen göçmenler, konsolosluğun pasaport yenilememesi nedeniyle kaçak duruma "
            "düştüklerini söylüyor.",
        ),
    ),
    A(
        EV,
        "haber/445900/allaliyev-serbest-birakildi",
        "tr",
        "2021-11-02T10:00:00+03:00",
        "Bayram Allalıyev serbest bırakıldı",
        (
            "Pendik Geri Gönderme Merkezi'nde tutulan Türkmen aktivist Bayram Allalıyev 1 "
            "Kasım'da serbest bırakıldı.",
            "Allalıyev, merkezde pasaportunun süresi dolduğu için tutulan başka Türkmen "
            "göçmenlerin de bulunduğunu anlattı.",
            "Hukukçular, Türkmenistan'a iadenin işkence riski taşıdığını vurguladı.",
        ),
    ),
    A(
        EV,
        "haber/444000/konsolosluk-onunde-turkmen-aktivistlere-saldiri",
        "tr",
        "2021-08-02T15:00:00+03:00",
        "Konsolosluk önünde Türkmen aktivistlere saldırı",
        (
            "İstanbul'da Türkmenistan Konsolosluğu önünde toplanan Türkmen aktivistler kimliği "
            "belirsiz kişilerin saldırısına uğradı.",
            "Aktivist Aziz Mamedov'un telefonu elinden alındı. Farhad Durdıyev ise konsolosluk "
            "bahçesine çekilerek darp edildiğini söyledi.",
            "Saldırıya uğrayanlar polise şikâyette bulundu.",
        ),
    ),
    A(
        EV,
        "haber/446100/kargo-iscileri-eylemde",
        "tr",
        "2021-11-03T09:00:00+03:00",
        "Kargo işçileri ücret artışı için eylemde",
        (
            "Bir kargo şirketinde çalışan işçiler ücretlerin enflasyon karşısında eridiğini "
            "belirterek iş bıraktı.",
            "Sendika temsilcileri, şirketin görüşme teklifini beklediklerini açıkladı.",
            "Eylem nedeniyle bazı dağıtım merkezlerinde gecikmeler yaşandı.",
        ),
    ),
    A(
        EV,
        "haber/446200/maden-isciler-alacak",
        "tr",
        "2021-11-04T09:00:00+03:00",
        "Maden işçileri alacakları için Ankara yolunda",
        (
            "Ücretlerini ve kıdem tazminatlarını alamayan maden işçileri Ankara'ya yürümeye "
            "başladı.",
            "İşçiler, şirketin iflas ettiğini ancak haklarının ödenmediğini söyledi.",
            "Jandarma yürüyüşün bazı noktalarda durdurulmak istendiğini bildirdi.",
        ),
    ),
    A(
        EV,
        "haber/446300/ogrenci-yurt-sorunu",
        "tr",
        "2021-11-05T09:00:00+03:00",
        "Üniversite öğrencileri yurt sorununu protesto etti",
        (
            "Büyük şehirlerde üniversite öğrencileri barınma sorununu protesto etmek için "
            "parklarda sabahladı.",
            "Öğrenciler kira artışlarının eğitime devam etmelerini zorlaştırdığını söyledi.",
            "Bazı belediyeler öğrencilere geçici konaklama imkânı sundu.",
        ),
    ),
]
