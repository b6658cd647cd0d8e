"""Turkmen-language sample articles (Radio Azatlyk style). Synthetic texts written for tmwatch."""

from __future__ import annotations

from tmwatch.samples.model import SampleArticle as A

O = "azathabar"

ARTICLES = [
    A(
        O,
        "a/turkmen-aktiwistka-stambulda-saklandy/31475120.html",
        "tk",
        "2021-09-28T11:40:00+05:00",
        "Türkmen aktiwistkasy Dursoltan Taganowa Stambulda saklandy",
        (
            "Türkiýede ýaşaýan raýat aktiwistkasy Dursoltan Taganowa 27-nji sentýabrda polisiýa "
            "tarapyndan saklanyp, deportasiýa merkezine ýerleşdirildi. Onuň dostlarynyň aýtmagyna "
            "görä, migrasiýa edarasy aktiwistkanyň bosgun statusy barada resminamany tapmandygyny "
            "öňe sürüpdir.",
            "Taganowanyň tanyşlary onuň eýýäm wagtlaýyn gorag statusyny alandygyny, şonuň üçin "
            "bu ädimiň düşnüksizdigini aýdýarlar. Aktiwistka soňky aýlarda Türkmenistanyň "
            "konsullygynyň pasportlary uzaltmaýandygyny tankyt edip çykyş edipdi.",
            "Hukuk goraýjylar Türkiýäniň häkimiýetlerini Taganowany Türkmenistana gaýtarmazlyga "
            "çagyrýarlar. Olaryň pikirine görä, watanynda ony yzarlama we gynamalar garaşyp biler.",
        ),
        author="Azatlyk Radiosy",
    ),
    A(
        O,
        "a/taganowa-boshadyldy/31501944.html",
        "tk",
        "2021-10-12T18:05:00+05:00",
        "Dursoltan Taganowa deportasiýa merkezinden boşadyldy",
        (
            "Iki hepdeden gowrak deportasiýa merkezinde saklanan türkmen aktiwistkasy Dursoltan "
            "Taganowa 12-nji oktýabrda azatlyga çykdy. Resmiler onuň saklanmagyny "
            "«düşünişmezlik» diýip düşündiripdirler.",
            "Taganowanyň aklawçysy müşderisiniň ýagdaýynyň halkara hukuk goraýjy guramalaryň "
            "çagyryşlaryndan soň çözülendigini aýtdy. Aktiwistka Azatlyga beren gysga "
            "teswirinde goldaw berenlere minnetdarlyk bildirdi.",
            "Emma onuň ýakynlary migrasiýa edarasynyň Taganowany ýene-de çagyryp biljekdiginden "
            "alada galýarlar we ýagdaýy yzygiderli yzarlajakdyklaryny aýdýarlar.",
        ),
    ),
    A(
        O,
        "a/rahmanow-deportasiya-merkezine-ugradyldy/31518870.html",
        "tk",
        "2021-10-19T09:15:00+05:00",
        "Antalýada Ahmet Rahmanow deportasiýa merkezine ugradyldy",
        (
            "Türkmen oppozisiýa toparynyň onlaýn çatyny dolandyrýan Ahmet Rahmanow 18-nji "
            "oktýabrda Antalýadaky migrasiýa edarasyna ýaşaýyş rugsadyny uzaltmak üçin baranda "
            "saklandy we deportasiýa merkezine ugradyldy.",
            "Rahmanowyň ýakynlarynyň habar bermegine görä, ony soňra Stambulyň Tuzla "
            "etrabyndaky deportasiýa merkezine geçiripdirler. Ol YouTube we TikTok arkaly "
            "Türkmenistanyň hökümetini yzygiderli tankyt edip gelýärdi.",
            "47 ýaşly aktiwistiň Türkmenistana gaýtarylmagy onuň howpsuzlygyna uly howp "
            "salar diýip, hukuk goraýjylar duýduryş berýärler.",
        ),
        amp=True,
        modified="2021-10-20T08:00:00+05:00",
    ),
    A(
        O,
        "a/kamil-abulow-stambulda-alyp-gidildi/31519012.html",
        "tk",
        "2021-10-19T15:30:00+05:00",
        "Kamil Abulow Stambuldaky öýünden alnyp gidildi",
        (
            "18-nji oktýabrda giçlik 35 ýaşly türkmen aktiwisti Kamil Abulow Stambuldaky "
            "kwartirasyndan polisiýa işgärleri tarapyndan alnyp gidildi. Abulowyň aýaly "
            "ärini Tuzladaky deportasiýa merkezinde saklaýandyklaryny aýtdy.",
            "Aýalynyň sözlerine görä, polisiýa Türkiýede ýaşaýan 25 türkmen aktiwistiniň "
            "sanawynyň bardygyny, bu sanawyň konsullygyň haýyşy bilen düzülendigini aýdypdyr.",
            "Abulow mundan öň, 1-nji awgustda konsullygyň öňünde geçirilmekçi bolnan ýörişden "
            "soň hem gysga wagtlyk saklanypdy.",
        ),
    ),
    A(
        O,
        "a/rahmanow-acharlyk-yglan-etdi/31523300.html",
        "tk",
        "2021-10-22T20:10:00+05:00",
        "Tuzladaky merkezde saklanýan Rahmanow açlyk yglan etdi",
        (
            "Tuzla deportasiýa merkezinde saklanýan türkmen aktiwisti Ahmet Rahmanow "
            "22-nji oktýabrda açlyk yglan etdi. Ol özüni bikanun saklaýandyklaryny aýdýar.",
            "Rahmanowyň dogany aktiwistiň saglyk ýagdaýynyň ýaramazlaşmagyndan howatyrlanýar. "
            "Aklawçylar onuň bilen duşuşmak üçin birnäçe gezek ýüz tutupdyrlar.",
            "Human Rights Watch guramasy Türkiýäni türkmen aktiwistlerini deport etmezlige "
            "çagyrdy.",
        ),
    ),
    A(
        O,
        "a/bayram-allalyyew-saklandy/31524410.html",
        "tk",
        "2021-10-23T10:00:00+05:00",
        "Baýram Allalyýew Stambulyň migrasiýa edarasynda saklandy",
        (
            "Türkmen aktiwisti Baýram Allalyýew 22-nji oktýabrda ýaşaýyş rugsadyny täzelemek "
            "üçin çagyrylan Stambulyň migrasiýa edarasynda saklandy. Ol resminamalary "
            "doldurýan wagty hukuk goraýjy edaralaryň işgärleri ony alyp gidipdirler.",
            "Allalyýewiň dostlary onuň Pendikdäki deportasiýa merkezine ugradylandygyny "
            "habar berdiler. Bu soňky hepdede saklanan üçünji türkmen aktiwistidir.",
            "Aktiwistler bu tussaglary Türkmenistanyň konsullygynyň basyşy bilen "
            "baglanyşdyrýarlar.",
        ),
    ),
    A(
        O,
        "a/rahmanow-we-abulow-boshadyldy/31530205.html",
        "tk",
        "2021-10-27T13:20:00+05:00",
        "Rahmanow we Abulow deportasiýa merkezinden boşadyldy",
        (
            "Tuzladaky deportasiýa merkezinde saklanan türkmen aktiwistleri Ahmet Rahmanow "
            "we Kamil Abulow 26-njy we 27-nji oktýabrda azat edildi.",
            "Rahmanowyň we Abulowyň aklawçylary halkara guramalaryň çagyryşlarynyň we "
            "kazyýet arzalarynyň netije berendigini aýtdylar. Iki aktiwist hem "
            "Türkiýede galmak üçin resminamalaryny kanunylaşdyrmagy dowam etdirjekdiklerini "
            "aýdýarlar.",
            "Hukuk goraýjylar beýleki saklanan aktiwistleriň hem boşadylmagyny talap edýärler.",
        ),
    ),
    A(
        O,
        "a/allalyyew-pendikden-boshadyldy/31534480.html",
        "tk",
        "2021-11-02T09:45:00+05:00",
        "Baýram Allalyýew Pendik merkezinden azat edildi",
        (
            "1-nji noýabrda Baýram Allalyýew Pendikdäki deportasiýa merkezinden boşadyldy. "
            "Allalyýewiň dostlary onuň saglygynyň gowudygyny habar berdiler.",
            "Aktiwist Azatlyga beren gepleşiginde merkezde saklanýan beýleki türkmen "
            "raýatlarynyň ýagdaýy barada gürrüň berdi. Olaryň köpüsiniň pasportynyň möhleti "
            "geçipdir.",
            "Allalyýew Türkiýede galyp, raýat işjeňligini dowam etdirjekdigini aýtdy.",
        ),
    ),
    A(
        O,
        "a/konsullygyn-onunde-aktiwistler-urlupdyr/31389911.html",
        "tk",
        "2021-08-02T12:00:00+05:00",
        "Stambulda konsullygyň öňünde türkmen aktiwistleri urlupdyr",
        (
            "1-nji awgustda Stambulda Türkmenistanyň konsullygynyň öňünde ýygnanan birnäçe "
            "türkmen aktiwisti näbelli adamlar tarapyndan urlupdyr. Pidalaryň ikisi lukmançylyk "
            "kömegine ýüz tutmaly bolupdyr.",
            "Aktiwist Aziz Mämmedowyň telefony elinden alnypdyr; hüjüm edenler ony "
            "konsullykdan alyp bilersiň diýipdirler. Farhad Durdyýew hem aldawly ýol bilen "
            "konsullygyň howlusyna salnyp urlandygyny aýdýar.",
            "Aktiwistler bu wakany Türkiýäniň polisiýasyna habar berdiler we aklawçylar "
            "bilen kazyýete ýüz tutmagy meýilleşdirýärler.",
        ),
    ),
    A(
        O,
        "a/oguz-birlesiginin-ofisine-hujum/31499950.html",
        "tk",
        "2021-10-12T08:30:00+05:00",
        "Stambulda Oguz medeniýet birleşiginiň ofisine hüjüm edildi",
        (
            "11-nji oktýabrda Stambulda Oguz medeniýeti, hyzmatdaşlygy we bilimi birleşiginiň "
            "ofisinde iki aktiwiste we bir myhmana näbelli adamlar hüjüm etdi.",
            "Birleşigiň başlygy Nurmuhammet Annaýewiň telefonly we resminamaly sumkasy "
            "ogurlandy. Aziz Mämmedowyň ýüzüne güýçli urgy urlupdyr.",
            "Aktiwistler hüjümi Annaýewiň Warşawada geçirilmeli ÝHHG-niň çäresine "
            "gatnaşmak meýli bilen baglanyşdyrýarlar.",
        ),
    ),
    A(
        O,
        "a/pagta-yygymy-basladi/31480100.html",
        "tk",
        "2021-09-30T07:20:00+05:00",
        "Daşoguzda pagta ýygymy başlandy, mugallymlar meýdana iberilýär",
        (
            "Daşoguz welaýatynda güýzki pagta ýygymy resmi taýdan başlandy. Ýerli "
            "ýaşaýjylaryň aýtmagyna görä, mekdep mugallymlary we saglygy goraýyş "
            "işgärleri hem meýdanlara iberilýär.",
            "Käbir edara işgärleri öz ýerine hakyna tutulan ýygymçylary ibermek üçin "
            "pul tölemeli bolýandyklaryny gürrüň berdiler. Bir gündelik ýygymçynyň "
            "hakynyň ýokarlanandygy aýdylýar.",
            "Häkimlikler bu ýyl meýilnamany wagtynda ýerine ýetirmegi talap edýärler.",
        ),
    ),
    A(
        O,
        "a/asgabatda-un-kemciligi/31495500.html",
        "tk",
        "2021-10-08T16:00:00+05:00",
        "Aşgabadyň döwlet dükanlarynda un we ösümlik ýagy tapylmaýar",
        (
            "Paýtagtyň döwlet dükanlarynyň öňünde arzan bahaly un we ösümlik ýagy üçin "
            "uzyn nobatlar emele gelýär. Ýaşaýjylar harydyň köplenç günortana çenli "
            "gutarýandygyny aýdýarlar.",
            "Bazardaky bahalar döwlet dükanlaryndakydan birnäçe esse ýokary. Pensionerler "
            "aýlyk pensiýanyň iýmit üçin hem ýetmeýändigini nygtaýarlar.",
            "Resmi metbugat bu mesele barada hiç zat habar bermeýär.",
        ),
    ),
    A(
        O,
        "a/ahal-teke-futbol/31502200.html",
        "tk",
        "2021-10-13T19:30:00+05:00",
        "Ýokary ligada «Ahal» toparynyň ýeňşi çempionlyk bäsleşigini gyzyşdyrdy",
        (
            "Türkmenistanyň futbol boýunça Ýokary ligasynyň nobatdaky duşuşygynda «Ahal» "
            "topary myhmançylykda «Altyn asyry» iki-bir hasabynda ýeňdi.",
            "Duşuşygyň ikinji ýarymynda girizilen gol toparyň tälimçisiniň wagtynda eden "
            "çalşygyndan soň geldi. Janköýerler stadionda ýakymly ýagdaý bolandygyny aýtdylar.",
            "Çempionatyň tamamlanmagyna dört tapgyr galanda toparlaryň arasyndaky tapawut "
            "bary-ýogy iki utuk.",
        ),
    ),
    A(
        O,
        "a/gaz-eksporty-hytay/31536000.html",
        "tk",
        "2021-11-03T11:10:00+05:00",
        "Türkmenistan Hytaýa gaz eksportyny artdyrmagy maksat edinýär",
        (
            "Türkmen resmileri Hytaý bilen geçirilen gepleşiklerde tebigy gaz "
            "eksportynyň möçberini artdyrmak meselesini ara alyp maslahatlaşdylar.",
            "Bilermenleriň pikiriçe, ýurduň gaz girdejisine garaşlylygy ykdysadyýeti "
            "bahalaryň üýtgemegine örän duýgur edýär. Dördünji şahaça turbageçirijiniň "
            "gurluşygy ençeme ýyl bäri säginip dur.",
            "Hökümet täze şertnamanyň jikme-jikliklerini yglan etmedi.",
        ),
    ),
]
