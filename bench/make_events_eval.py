"""Writes the labelled event-extraction sets: bench/data/events_eval_dev.jsonl (tuned on) and
bench/data/events_eval_heldout.jsonl (never tuned on).

Texts are synthetic, written for tmwatch (facts — names, dates, places — follow the appeal's
annex or are invented variations of it; no sentence is copied). Kept as code so the set is
reviewed like code and regenerated, never edited by hand: ``python bench/make_events_eval.py``.

Labelling rules (what the extractor is measured against):

* An event is something the text states happened to a watched person: ``detained``,
  ``deportation_centre`` (placed, sent or held in one), ``released``, ``deported``,
  ``deportation_threat`` (told they will be deported, a deportation order, put on a list, ordered
  out, "faces"/"threat of" deportation), ``summoned`` (called in or questioned, no detention in
  the same sentence), ``attacked``, ``threatened`` (threats other than deportation),
  ``hunger_strike`` and ``legal`` (court, an appeal or complaint filed, a residence-permit or
  asylum decision).
* Negated, hypothetical ("may", "fear", "in order to", "if") and future statements are no event;
  future deportation is a ``deportation_threat``. A namesake's or a relative's event is no event.
* The date is the one the sentence states for that event (a date at the head of the sentence
  covers its later verbs unless "later/then" intervenes); none stated means null. Dates are
  ``YYYY-MM-DD`` or ``YYYY-MM`` (month precision).
* ``negated`` lists (person, type) pairs the text denies: producing them is a negation error.

The held-out rows were written together with the development rows, before the extractor, and are
only run for the final figures.
"""

from __future__ import annotations

import json
from pathlib import Path

TAG = "Dursoltan Taganova"
MAM = "Aziz Mamedov"
RAH = "Akhmed Rakhmanov"
ABU = "Kamil Abulov"
BAD = "Merdan Badrov"
ALL = "Bayram Allalyev"
DUR = "Farkhad Durdyev"
ANN = "Nurmukhamed Annayev"
PEOPLE = {
    "TAG": TAG,
    "MAM": MAM,
    "RAH": RAH,
    "ABU": ABU,
    "BAD": BAD,
    "ALL": ALL,
    "DUR": DUR,
    "ANN": ANN,
}

# (language, published, title, text, events "KEY type date|-", negated "KEY type", hard cases)
Row = tuple[str, str, str, str, list[str], list[str], list[str]]

DEV: list[Row] = [
    # -- Russian ---------------------------------------------------------------------------------
    (
        "ru",
        "2021-10-19",
        "",
        "Туркменского активиста Ахмеда Рахманова 18 октября задержали в Анталье, куда он пришёл "
        "в миграционную службу.",
        ["RAH detained 2021-10-18"],
        [],
        [],
    ),
    (
        "ru",
        "2021-10-23",
        "",
        "Ахмед Рахманов, которого держат в депортационном центре в Тузле, 22 октября объявил "
        "голодовку. Об этом рассказали его знакомые.",
        ["RAH deportation_centre -", "RAH hunger_strike 2021-10-22"],
        [],
        [],
    ),
    (
        "ru",
        "2021-09-29",
        "",
        "Гражданскую активистку Дурсолтан Таганову задержали 27 сентября и поместили в "
        "депортационный центр. Друзья активистки узнали об этом только через день.",
        ["TAG detained 2021-09-27", "TAG deportation_centre 2021-09-27"],
        [],
        [],
    ),
    (
        "ru",
        "2021-10-13",
        "",
        "Дурсолтан Таганову, задержанную 27 сентября, освободили 12 октября после вмешательства "
        "адвоката.",
        ["TAG detained 2021-09-27", "TAG released 2021-10-12"],
        [],
        ["release after detention", "several dates"],
    ),
    (
        "ru",
        "2021-10-21",
        "",
        "Вопреки слухам, Азиз Мамедов не был задержан: вчера он сам связался с редакцией.",
        [],
        ["MAM detained"],
        ["negation"],
    ),
    (
        "ru",
        "2021-10-24",
        "",
        "Правозащитники опасаются, что Байрама Аллалыева могут депортировать в Туркменистан в "
        "ближайшие дни.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "ru",
        "2021-10-20",
        "",
        "По словам Азиза Мамедова, Камила Абулова 18 октября забрали из квартиры в Стамбуле "
        "сотрудники полиции.",
        ["ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "ru",
        "2021-11-02",
        "",
        "Камила Абулова отпустили 26 октября, а Ахмеда Рахманова — 27 октября.",
        ["ABU released 2021-10-26", "RAH released 2021-10-27"],
        [],
        ["several people", "several dates"],
    ),
    (
        "ru",
        "2021-11-02",
        "",
        "Байрама Аллалыева, задержанного 22 октября в миграционном управлении Стамбула, 1 ноября "
        "выпустили из депортационного центра в Пендике.",
        ["ALL detained 2021-10-22", "ALL released 2021-11-01"],
        [],
        ["release after detention", "several dates"],
    ),
    (
        "ru",
        "2021-10-26",
        "",
        "В Анкаре задержан Рустам Рахманов — однофамилец активиста Ахмеда Рахманова, "
        "родственниками они не являются.",
        [],
        [],
        ["namesake"],
    ),
    (
        "ru",
        "2021-10-15",
        "",
        "Сотрудники миграционной службы сообщили Азизу Мамедову, что его вышлют из Турции, если "
        "он не покинет страну добровольно.",
        ["MAM deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "ru",
        "2021-11-10",
        "",
        "Суд в Стамбуле 9 ноября отклонил жалобу Камила Абулова на решение о его депортации.",
        ["ABU legal 2021-11-09", "ABU deportation_threat -"],
        [],
        ["court"],
    ),
    (
        "ru",
        "2021-10-25",
        "",
        "В пятницу полиция задержала Мердана Бадрова у его дома в Стамбуле.",
        ["BAD detained 2021-10-22"],
        [],
        ["weekday"],
    ),
    (
        "ru",
        "2021-10-23",
        "",
        "Вчера Ахмеда Рахманова перевели в депортационный центр в Тузле.",
        ["RAH deportation_centre 2021-10-22"],
        [],
        ["relative date"],
    ),
    (
        "ru",
        "2021-10-12",
        "",
        "11 октября неизвестные напали на офис ассоциации в Стамбуле; Азиза Мамедова ударили в "
        "лицо, а Нурмухамеда Аннаева толкнули и отобрали у него сумку.",
        ["MAM attacked 2021-10-11", "ANN attacked 2021-10-11"],
        [],
        ["several people"],
    ),
    (
        "ru",
        "2021-10-20",
        "",
        "В середине октября Дурсолтан Таганову снова вызвали в миграционную службу, где её "
        "уговаривали отозвать заявление о защите.",
        ["TAG summoned 2021-10"],
        [],
        [],
    ),
    (
        "ru",
        "2021-10-05",
        "",
        "Фархаду Дурдыеву несколько раз угрожали по телефону неизвестные, называвшие себя "
        "сторонниками властей.",
        ["DUR threatened -"],
        [],
        [],
    ),
    (
        "ru",
        "2021-12-03",
        "",
        "Как стало известно, 30 ноября туркменский активист Мердан Бадров был депортирован из "
        "Турции в Ашхабад.",
        ["BAD deported 2021-11-30"],
        [],
        [],
    ),
    (
        "ru",
        "2021-10-21",
        "",
        "20 октября полицейские приходили по месту регистрации Мердана Бадрова, чтобы задержать "
        "его, но не застали активиста дома.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "ru",
        "2021-09-15",
        "",
        "Миграционная служба отказала Азизу Мамедову в продлении вида на жительство.",
        ["MAM legal -"],
        [],
        [],
    ),
    (
        "ru",
        "2021-10-20",
        "",
        "Ранее в депортационный центр в Тузле отправили Ахмеда Рахманова и Камила Абулова.",
        ["RAH deportation_centre -", "ABU deportation_centre -"],
        [],
        ["several people"],
    ),
    (
        "ru",
        "2021-10-27",
        "",
        "Камил Абулов вышел на свободу 26 октября. Его адвокат ранее подал жалобу в "
        "административный суд.",
        ["ABU released 2021-10-26", "ABU legal -"],
        [],
        ["pronoun"],
    ),
    (
        "ru",
        "2021-11-03",
        "",
        "Информация о депортации Байрама Аллалыева не подтвердилась: активиста не высылали, его "
        "освободили 1 ноября.",
        ["ALL released 2021-11-01"],
        ["ALL deported"],
        ["negation", "release after detention"],
    ),
    (
        "ru",
        "2021-10-28",
        "",
        "Жена Камила Абулова рассказала, что мужа избили при задержании 18 октября.",
        ["ABU attacked 2021-10-18", "ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "ru",
        "2021-10-29",
        "",
        "В среду Фархада Дурдыева вызвали на допрос в полицию Стамбула, но задерживать не стали.",
        ["DUR summoned 2021-10-27"],
        ["DUR detained"],
        ["weekday", "negation"],
    ),
    (
        "ru",
        "2021-10-19",
        "Ахмеда Рахманова отправили в депортационный центр в Тузле",
        "Активиста задержали 18 октября в Анталье. По данным его родственников, затем его "
        "перевели в Тузлу.",
        ["RAH deportation_centre -", "RAH detained 2021-10-18"],
        [],
        ["pronoun", "title"],
    ),
    (
        "ru",
        "2021-08-03",
        "",
        "1 августа у здания консульства Туркменистана в Стамбуле избили нескольких активистов, "
        "среди них Азиза Мамедова и Фархада Дурдыева.",
        ["MAM attacked 2021-08-01", "DUR attacked 2021-08-01"],
        [],
        ["several people"],
    ),
    (
        "ru",
        "2021-10-22",
        "",
        "Камила Абулова, по информации правозащитников, включили в список из 25 активистов, "
        "которых Турция намерена выслать по просьбе Ашхабада.",
        ["ABU deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "ru",
        "2021-10-19",
        "",
        "Абулова впервые задержали 1 августа после неудавшегося митинга, а 18 октября полиция "
        "снова увезла его из дома.",
        ["ABU detained 2021-08-01", "ABU detained 2021-10-18"],
        [],
        ["several dates"],
    ),
    (
        "ru",
        "2021-10-30",
        "",
        "Родственники Ахмеда Рахманова боятся, что после возвращения в Туркменистан его арестуют.",
        [],
        [],
        ["hypothetical"],
    ),
    # -- Turkmen ---------------------------------------------------------------------------------
    (
        "tk",
        "2021-09-28",
        "",
        "Raýat aktiwistkasy Dursoltan Taganowa 27-nji sentýabrda Stambulda polisiýa tarapyndan "
        "saklandy.",
        ["TAG detained 2021-09-27"],
        [],
        [],
    ),
    (
        "tk",
        "2021-10-19",
        "",
        "Ahmet Rahmanow 18-nji oktýabrda Antalýadaky migrasiýa edarasyna baranda tussag edildi we "
        "deportasiýa merkezine iberildi.",
        ["RAH detained 2021-10-18", "RAH deportation_centre 2021-10-18"],
        [],
        [],
    ),
    (
        "tk",
        "2021-10-13",
        "",
        "Dursoltan Taganowa 12-nji oktýabrda deportasiýa merkezinden boşadyldy.",
        ["TAG released 2021-10-12"],
        [],
        [],
    ),
    (
        "tk",
        "2021-10-21",
        "",
        "Aziz Mämmedow saklanmady, ol diňe polisiýa bölümine düşündiriş bermäge çagyryldy.",
        ["MAM summoned -"],
        ["MAM detained"],
        ["negation"],
    ),
    (
        "tk",
        "2021-10-24",
        "",
        "Hukuk goraýjylar Baýram Allalyýewiň Türkmenistana deportasiýa edilmeginden "
        "howatyrlanýarlar.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tk",
        "2021-10-20",
        "",
        "Aziz Mämmedowyň aýtmagyna görä, Kamil Abulow 18-nji oktýabrda öýünden polisiýa "
        "tarapyndan alnyp gidildi.",
        ["ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "tk",
        "2021-11-02",
        "",
        "Kamil Abulow 26-njy oktýabrda, Ahmet Rahmanow bolsa 27-nji oktýabrda boşadyldy.",
        ["ABU released 2021-10-26", "RAH released 2021-10-27"],
        [],
        ["several people", "several dates"],
    ),
    (
        "tk",
        "2021-11-02",
        "",
        "Baýram Allalyýew 1-nji noýabrda Pendikdäki deportasiýa merkezinden boşadyldy. Ol "
        "22-nji oktýabrda Stambulyň migrasiýa edarasynda saklanypdy.",
        ["ALL released 2021-11-01", "ALL detained 2021-10-22"],
        [],
        ["release after detention", "pronoun"],
    ),
    (
        "tk",
        "2021-10-26",
        "",
        "Ankarada saklanan Rustam Rahmanow aktiwist Ahmet Rahmanowyň atdaşy bolup, olaryň "
        "garyndaşlyk gatnaşygy ýok.",
        [],
        [],
        ["namesake"],
    ),
    (
        "tk",
        "2021-10-15",
        "",
        "Migrasiýa gullugynyň işgärleri Aziz Mämmedowa onuň Türkiýeden deportasiýa "
        "ediljekdigini aýtdylar.",
        ["MAM deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "tk",
        "2021-11-10",
        "",
        "Stambulyň kazyýeti 9-njy noýabrda Kamil Abulowyň aklawçysynyň şikaýatyny ret etdi.",
        ["ABU legal 2021-11-09"],
        [],
        ["court"],
    ),
    (
        "tk",
        "2021-10-25",
        "",
        "Anna güni polisiýa Merdan Badrowy Stambuldaky öýüniň ýanynda saklady.",
        ["BAD detained 2021-10-22"],
        [],
        ["weekday"],
    ),
    (
        "tk",
        "2021-10-23",
        "",
        "Düýn Ahmet Rahmanow Tuzladaky deportasiýa merkezine geçirildi.",
        ["RAH deportation_centre 2021-10-22"],
        [],
        ["relative date"],
    ),
    (
        "tk",
        "2021-10-12",
        "",
        "11-nji oktýabrda Stambuldaky birleşigiň ofisine hüjüm edildi, Aziz Mämmedow ýüzünden "
        "urlup ýaralandy.",
        ["MAM attacked 2021-10-11"],
        [],
        [],
    ),
    (
        "tk",
        "2021-10-20",
        "",
        "Oktýabryň ortalarynda Dursoltan Taganowa ýene-de migrasiýa edarasyna çagyryldy.",
        ["TAG summoned 2021-10"],
        [],
        [],
    ),
    (
        "tk",
        "2021-10-05",
        "",
        "Farhad Durdyýewe telefon arkaly birnäçe gezek haýbat atyldy.",
        ["DUR threatened -"],
        [],
        [],
    ),
    (
        "tk",
        "2021-12-03",
        "",
        "30-njy noýabrda Merdan Badrow Türkiýeden Aşgabada deport edildi.",
        ["BAD deported 2021-11-30"],
        [],
        [],
    ),
    (
        "tk",
        "2021-10-21",
        "",
        "20-nji oktýabrda polisiýa işgärleri Merdan Badrowy saklamak üçin onuň ýaşaýan ýerine "
        "bardylar, emma ol öýde ýokdy.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tk",
        "2021-10-23",
        "",
        "Tuzladaky deportasiýa merkezinde saklanýan Ahmet Rahmanow 22-nji oktýabrda açlyk yglan "
        "etdi.",
        ["RAH deportation_centre -", "RAH hunger_strike 2021-10-22"],
        [],
        [],
    ),
    (
        "tk",
        "2021-09-15",
        "",
        "Aziz Mämmedowyň ýaşamak üçin rugsatnamasyny uzaltmakdan ýüz öwrüldi.",
        ["MAM legal -"],
        [],
        [],
    ),
    (
        "tk",
        "2021-10-20",
        "",
        "Ahmet Rahmanow we Kamil Abulow Tuzladaky deportasiýa merkezinde saklanýarlar.",
        ["RAH deportation_centre -", "ABU deportation_centre -"],
        [],
        ["several people"],
    ),
    (
        "tk",
        "2021-10-30",
        "",
        "Ahmet Rahmanow entek boşadylmady, aklawçysy kazyýete ýüz tutdy.",
        ["RAH legal -"],
        ["RAH released"],
        ["negation"],
    ),
    (
        "tk",
        "2021-10-29",
        "",
        "Sişenbe güni Kamil Abulow sorag edildi, emma saklanmady.",
        ["ABU summoned 2021-10-26"],
        ["ABU detained"],
        ["weekday", "negation"],
    ),
    (
        "tk",
        "2021-10-28",
        "",
        "Kamil Abulowyň aýaly adamsynyň 18-nji oktýabrda saklananda urlandygyny aýtdy.",
        ["ABU attacked 2021-10-18", "ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "tk",
        "2021-10-22",
        "",
        "Hukuk goraýjylaryň maglumatyna görä, Kamil Abulow Türkiýäniň deportasiýa etmek "
        "isleýän 25 aktiwistiniň sanawyna girizildi.",
        ["ABU deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "tk",
        "2021-10-19",
        "",
        "Kamil Abulow ilkinji gezek 1-nji awgustda saklanypdy, 18-nji oktýabrda bolsa ony ýene "
        "öýünden alyp gitdiler.",
        ["ABU detained 2021-08-01", "ABU detained 2021-10-18"],
        [],
        ["several dates"],
    ),
    (
        "tk",
        "2021-10-30",
        "",
        "Garyndaşlary Ahmet Rahmanowyň Türkmenistana gaýdyp barsa tussag ediljekdiginden "
        "gorkýarlar.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tk",
        "2021-10-19",
        "Ahmet Rahmanow deportasiýa merkezine geçirildi",
        "Aktiwist 18-nji oktýabrda Antalýada saklandy.",
        ["RAH deportation_centre -", "RAH detained 2021-10-18"],
        [],
        ["pronoun", "title"],
    ),
    # -- Turkish ---------------------------------------------------------------------------------
    (
        "tr",
        "2021-09-28",
        "",
        "Türkmen aktivist Dursoltan Taganova 27 Eylül'de İstanbul'da gözaltına alındı.",
        ["TAG detained 2021-09-27"],
        [],
        [],
    ),
    (
        "tr",
        "2021-10-19",
        "",
        "Ahmet Rahmanov 18 Ekim'de Antalya İl Göç İdaresi'nde gözaltına alınarak geri gönderme "
        "merkezine gönderildi.",
        ["RAH detained 2021-10-18", "RAH deportation_centre 2021-10-18"],
        [],
        [],
    ),
    (
        "tr",
        "2021-10-13",
        "",
        "Taganova 12 Ekim'de geri gönderme merkezinden serbest bırakıldı.",
        ["TAG released 2021-10-12"],
        [],
        [],
    ),
    (
        "tr",
        "2021-10-21",
        "",
        "Aziz Memmedov'un gözaltına alındığı iddiası doğru değil; Memmedov dün avukatıyla "
        "birlikte açıklama yaptı.",
        [],
        ["MAM detained"],
        ["negation"],
    ),
    (
        "tr",
        "2021-10-24",
        "",
        "İnsan hakları savunucuları, Bayram Allalıyev'in Türkmenistan'a sınır dışı "
        "edilebileceğinden endişe ediyor.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tr",
        "2021-10-20",
        "",
        "Aziz Memmedov'un söylediğine göre, Kamil Abulov 18 Ekim'de evinden polis tarafından "
        "götürüldü.",
        ["ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "tr",
        "2021-11-02",
        "",
        "Kamil Abulov 26 Ekim'de, Ahmet Rahmanov ise 27 Ekim'de serbest bırakıldı.",
        ["ABU released 2021-10-26", "RAH released 2021-10-27"],
        [],
        ["several people", "several dates"],
    ),
    (
        "tr",
        "2021-11-02",
        "",
        "22 Ekim'de İstanbul Göç İdaresi'nde gözaltına alınan Bayram Allalıyev, 1 Kasım'da Pendik "
        "Geri Gönderme Merkezi'nden serbest bırakıldı.",
        ["ALL detained 2021-10-22", "ALL released 2021-11-01"],
        [],
        ["release after detention", "several dates"],
    ),
    (
        "tr",
        "2021-10-26",
        "",
        "Ankara'da gözaltına alınan Rüstem Rahmanov'un, aktivist Ahmet Rahmanov ile akrabalık "
        "bağı bulunmuyor.",
        [],
        [],
        ["namesake"],
    ),
    (
        "tr",
        "2021-10-15",
        "",
        "Göç idaresi yetkilileri Aziz Memmedov'a Türkiye'den sınır dışı edileceğini bildirdi.",
        ["MAM deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "tr",
        "2021-11-10",
        "",
        "İstanbul İdare Mahkemesi 9 Kasım'da Kamil Abulov'un avukatının itirazını reddetti.",
        ["ABU legal 2021-11-09"],
        [],
        ["court"],
    ),
    (
        "tr",
        "2021-10-25",
        "",
        "Merdan Badrov cuma günü İstanbul'daki evinin önünde gözaltına alındı.",
        ["BAD detained 2021-10-22"],
        [],
        ["weekday"],
    ),
    (
        "tr",
        "2021-10-23",
        "",
        "Ahmet Rahmanov dün Tuzla Geri Gönderme Merkezi'ne nakledildi.",
        ["RAH deportation_centre 2021-10-22"],
        [],
        ["relative date"],
    ),
    (
        "tr",
        "2021-10-12",
        "",
        "11 Ekim'de İstanbul'daki dernek ofisine saldırı düzenlendi; Aziz Memmedov yüzüne aldığı "
        "darbelerle yaralandı.",
        ["MAM attacked 2021-10-11"],
        [],
        [],
    ),
    (
        "tr",
        "2021-10-20",
        "",
        "Dursoltan Taganova ekim ayının ortasında yeniden Göç İdaresi'ne çağrıldı.",
        ["TAG summoned 2021-10"],
        [],
        [],
    ),
    (
        "tr",
        "2021-10-05",
        "",
        "Farhad Durdıyev, telefonla defalarca tehdit edildiğini söyledi.",
        ["DUR threatened -"],
        [],
        ["reported speech"],
    ),
    (
        "tr",
        "2021-12-03",
        "",
        "Merdan Badrov 30 Kasım'da Türkiye'den Türkmenistan'a sınır dışı edildi.",
        ["BAD deported 2021-11-30"],
        [],
        [],
    ),
    (
        "tr",
        "2021-10-21",
        "",
        "Polis 20 Ekim'de Merdan Badrov'u gözaltına almak için adresine gitti, ancak aktivist "
        "evde değildi.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tr",
        "2021-10-23",
        "",
        "Tuzla'daki geri gönderme merkezinde tutulan Ahmet Rahmanov 22 Ekim'de açlık grevine "
        "başladı.",
        ["RAH deportation_centre -", "RAH hunger_strike 2021-10-22"],
        [],
        [],
    ),
    (
        "tr",
        "2021-09-15",
        "",
        "Göç İdaresi, Aziz Memmedov'un ikamet izni uzatma başvurusunu reddetti.",
        ["MAM legal -"],
        [],
        [],
    ),
    (
        "tr",
        "2021-10-20",
        "",
        "Ahmet Rahmanov ve Kamil Abulov, Tuzla Geri Gönderme Merkezi'nde tutuluyor.",
        ["RAH deportation_centre -", "ABU deportation_centre -"],
        [],
        ["several people"],
    ),
    (
        "tr",
        "2021-10-30",
        "",
        "Ahmet Rahmanov henüz serbest bırakılmadı; avukatı mahkemeye başvurdu.",
        ["RAH legal -"],
        ["RAH released"],
        ["negation"],
    ),
    (
        "tr",
        "2021-10-29",
        "",
        "Kamil Abulov salı günü ifade vermeye çağrıldı ancak gözaltına alınmadı.",
        ["ABU summoned 2021-10-26"],
        ["ABU detained"],
        ["weekday", "negation"],
    ),
    (
        "tr",
        "2021-10-28",
        "",
        "Kamil Abulov'un eşi, kocasının 18 Ekim'deki gözaltı sırasında darp edildiğini anlattı.",
        ["ABU attacked 2021-10-18", "ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "tr",
        "2021-10-22",
        "",
        "Hak savunucularına göre Kamil Abulov, Türkiye'nin sınır dışı etmek istediği 25 kişilik "
        "listede yer alıyor.",
        ["ABU deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "tr",
        "2021-10-19",
        "",
        "Kamil Abulov ilk kez 1 Ağustos'ta gözaltına alınmıştı; 18 Ekim'de polis onu yeniden "
        "evinden aldı.",
        ["ABU detained 2021-08-01", "ABU detained 2021-10-18"],
        [],
        ["several dates"],
    ),
    (
        "tr",
        "2021-10-30",
        "",
        "Ailesi, Ahmet Rahmanov'un Türkmenistan'a dönerse tutuklanacağından korkuyor.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tr",
        "2021-10-19",
        "Ahmet Rahmanov geri gönderme merkezine gönderildi",
        "Aktivist 18 Ekim'de Antalya'da gözaltına alındı.",
        ["RAH deportation_centre -", "RAH detained 2021-10-18"],
        [],
        ["pronoun", "title"],
    ),
    # -- English ---------------------------------------------------------------------------------
    (
        "en",
        "2021-09-28",
        "",
        "Civic activist Dursoltan Taganova was detained by Istanbul police on 27 September.",
        ["TAG detained 2021-09-27"],
        [],
        [],
    ),
    (
        "en",
        "2021-10-19",
        "",
        "Akhmed Rakhmanov was detained at the migration office in Antalya on 18 October and sent "
        "to a deportation centre.",
        ["RAH detained 2021-10-18", "RAH deportation_centre 2021-10-18"],
        [],
        [],
    ),
    (
        "en",
        "2021-10-13",
        "",
        "Taganova was released from the deportation centre on 12 October after her lawyer "
        "intervened.",
        ["TAG released 2021-10-12"],
        [],
        [],
    ),
    (
        "en",
        "2021-10-21",
        "",
        "Contrary to social media reports, Aziz Mamedov was not detained on Tuesday.",
        [],
        ["MAM detained"],
        ["negation"],
    ),
    (
        "en",
        "2021-10-24",
        "",
        "Rights groups fear that Bayram Allalyev may be deported to Turkmenistan within days.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "en",
        "2021-10-20",
        "",
        "According to Aziz Mamedov, Kamil Abulov was taken from his flat by police on 18 October.",
        ["ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "en",
        "2021-11-02",
        "",
        "Kamil Abulov was released on 26 October and Akhmed Rakhmanov on 27 October.",
        ["ABU released 2021-10-26", "RAH released 2021-10-27"],
        [],
        ["several people", "several dates"],
    ),
    (
        "en",
        "2021-11-02",
        "",
        "Bayram Allalyev, who was detained on 22 October at the Istanbul migration office, was "
        "freed from the Pendik deportation centre on 1 November.",
        ["ALL detained 2021-10-22", "ALL released 2021-11-01"],
        [],
        ["release after detention", "several dates"],
    ),
    (
        "en",
        "2021-10-26",
        "",
        "A man named Rustam Rakhmanov was arrested in Ankara; he is a namesake of the activist "
        "Akhmed Rakhmanov and not related to him.",
        [],
        [],
        ["namesake"],
    ),
    (
        "en",
        "2021-10-15",
        "",
        "Migration officials told Aziz Mamedov that he would be deported unless he left Turkey "
        "voluntarily.",
        ["MAM deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "en",
        "2021-11-10",
        "",
        "An Istanbul court on 9 November rejected the appeal lodged by Kamil Abulov's lawyer.",
        ["ABU legal 2021-11-09"],
        [],
        ["court"],
    ),
    (
        "en",
        "2021-10-25",
        "",
        "Merdan Badrov was detained outside his home in Istanbul on Friday.",
        ["BAD detained 2021-10-22"],
        [],
        ["weekday"],
    ),
    (
        "en",
        "2021-10-23",
        "",
        "Akhmed Rakhmanov was transferred to the Tuzla deportation centre yesterday.",
        ["RAH deportation_centre 2021-10-22"],
        [],
        ["relative date"],
    ),
    (
        "en",
        "2021-10-12",
        "",
        "On 11 October unknown men stormed the association's office in Istanbul and punched Aziz "
        "Mamedov in the face.",
        ["MAM attacked 2021-10-11"],
        [],
        [],
    ),
    (
        "en",
        "2021-10-20",
        "",
        "In mid-October Dursoltan Taganova was summoned to the migration office again.",
        ["TAG summoned 2021-10"],
        [],
        [],
    ),
    (
        "en",
        "2021-10-05",
        "",
        "Farkhad Durdyev says he has received repeated threats by phone from supporters of the "
        "government.",
        ["DUR threatened -"],
        [],
        ["reported speech"],
    ),
    (
        "en",
        "2021-12-03",
        "",
        "On 30 November Merdan Badrov was deported from Turkey to Ashgabat.",
        ["BAD deported 2021-11-30"],
        [],
        [],
    ),
    (
        "en",
        "2021-10-21",
        "",
        "On 20 October police went to Merdan Badrov's registered address in order to detain him, "
        "but he was not at home.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "en",
        "2021-10-23",
        "",
        "Akhmed Rakhmanov, held at the Tuzla deportation centre, began a hunger strike on "
        "22 October.",
        ["RAH deportation_centre -", "RAH hunger_strike 2021-10-22"],
        [],
        [],
    ),
    (
        "en",
        "2021-09-15",
        "",
        "The migration service refused to extend Aziz Mamedov's residence permit.",
        ["MAM legal -"],
        [],
        [],
    ),
    (
        "en",
        "2021-10-20",
        "",
        "Akhmed Rakhmanov and Kamil Abulov are being held in the Tuzla deportation centre.",
        ["RAH deportation_centre -", "ABU deportation_centre -"],
        [],
        ["several people"],
    ),
    (
        "en",
        "2021-10-30",
        "",
        "Akhmed Rakhmanov has not been released yet; his lawyer has filed a complaint with the "
        "court.",
        ["RAH legal -"],
        ["RAH released"],
        ["negation"],
    ),
    (
        "en",
        "2021-10-29",
        "",
        "Kamil Abulov was questioned by police on Tuesday but was not detained.",
        ["ABU summoned 2021-10-26"],
        ["ABU detained"],
        ["weekday", "negation"],
    ),
    (
        "en",
        "2021-10-28",
        "",
        "Kamil Abulov's wife said he had been beaten during his arrest on 18 October.",
        ["ABU attacked 2021-10-18", "ABU detained 2021-10-18"],
        [],
        ["reported speech"],
    ),
    (
        "en",
        "2021-10-22",
        "",
        "Rights defenders say Kamil Abulov is on a list of 25 activists that Turkey wants to "
        "deport.",
        ["ABU deportation_threat -"],
        [],
        ["threat only"],
    ),
    (
        "en",
        "2021-10-19",
        "",
        "Kamil Abulov was first detained on 1 August after a failed protest; on 18 October police "
        "took him from his home again.",
        ["ABU detained 2021-08-01", "ABU detained 2021-10-18"],
        [],
        ["several dates"],
    ),
    (
        "en",
        "2021-10-30",
        "",
        "His family fears that Akhmed Rakhmanov would be arrested if he were returned to "
        "Turkmenistan.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "en",
        "2021-10-19",
        "Akhmed Rakhmanov sent to deportation centre",
        "The activist was detained in Antalya on 18 October.",
        ["RAH deportation_centre -", "RAH detained 2021-10-18"],
        [],
        ["pronoun", "title"],
    ),
]

HELDOUT: list[Row] = [
    # -- Russian ---------------------------------------------------------------------------------
    (
        "ru",
        "2021-10-04",
        "",
        "Правозащитники сообщают о новом задержании в Стамбуле.\nВ субботу полиция пришла в "
        "квартиру Камила Абулова и доставила его в участок. Позже активиста перевели в центр "
        "временного содержания мигрантов в Тузле.",
        ["ABU detained 2021-10-02", "ABU deportation_centre -"],
        [],
        ["weekday", "pronoun"],
    ),
    (
        "ru",
        "2021-10-28",
        "",
        "Мердан Бадров опроверг сообщения о своём аресте: «Меня никто не задерживал», — сказал он.",
        [],
        ["BAD detained"],
        ["negation", "reported speech"],
    ),
    (
        "ru",
        "2021-10-26",
        "",
        "Азиз Мамедов рассказал, что 25 октября к нему домой приходили двое неизвестных и "
        "угрожали расправой, если он продолжит выступать против властей.",
        ["MAM threatened 2021-10-25"],
        [],
        ["reported speech"],
    ),
    (
        "ru",
        "2021-11-12",
        "",
        "Суд отказал в удовлетворении иска Дурсолтан Тагановой 11 ноября; адвокат намерен "
        "обжаловать решение.",
        ["TAG legal 2021-11-11"],
        [],
        ["court"],
    ),
    (
        "ru",
        "2021-10-22",
        "",
        "Источник в миграционной службе утверждает, что Байрама Аллалыева могут освободить уже "
        "на следующей неделе.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "ru",
        "2021-11-02",
        "",
        "Нурмухамед Аннаев 29 октября был вызван на беседу в полицию, а 30 октября задержали "
        "Фархада Дурдыева.",
        ["ANN summoned 2021-10-29", "DUR detained 2021-10-30"],
        [],
        ["several people", "several dates"],
    ),
    (
        "ru",
        "2022-01-04",
        "",
        "Ахмеда Рахманова задержали 28 декабря в Измире, сообщили его друзья.",
        ["RAH detained 2021-12-28"],
        [],
        ["year rollover", "reported speech"],
    ),
    (
        "ru",
        "2021-12-30",
        "",
        "Слушание по делу Камила Абулова назначено на 5 января.",
        ["ABU legal 2022-01-05"],
        [],
        ["year rollover", "court"],
    ),
    (
        "ru",
        "2021-10-20",
        "",
        "Дурсолтан Таганова: «Меня снова вызвали в миграционное управление и требовали отозвать "
        "заявление о статусе беженца».",
        ["TAG summoned -"],
        [],
        ["reported speech"],
    ),
    (
        "ru",
        "2021-10-21",
        "",
        "Задержанный в Бурсе Сердар Аннаев не имеет отношения к активисту Нурмухамеду Аннаеву, "
        "уточнили правозащитники.",
        [],
        [],
        ["namesake"],
    ),
    (
        "ru",
        "2021-10-19",
        "",
        "Полиция задержала Азиза Мамедова и Фархада Дурдыева у консульства 18 октября; через "
        "несколько часов обоих отпустили.",
        [
            "MAM detained 2021-10-18",
            "DUR detained 2021-10-18",
            "MAM released -",
            "DUR released -",
        ],
        [],
        ["several people", "release after detention"],
    ),
    (
        "ru",
        "2021-10-25",
        "",
        "Ахмед Рахманов держит голодовку уже третий день.",
        ["RAH hunger_strike -"],
        [],
        [],
    ),
    (
        "ru",
        "2021-11-05",
        "",
        "Турецкие власти пока не депортировали Абулова, однако ему вручили предписание покинуть "
        "страну в течение десяти дней.",
        ["ABU deportation_threat -"],
        ["ABU deported"],
        ["negation", "threat only"],
    ),
    (
        "ru",
        "2021-10-10",
        "",
        "Вчера вечером на Нурмухамеда Аннаева напали возле его дома в Стамбуле.",
        ["ANN attacked 2021-10-09"],
        [],
        ["relative date"],
    ),
    (
        "ru",
        "2021-10-14",
        "",
        "Азиз Мамедов подал жалобу в прокуратуру на нападавших, избивших его 11 октября.",
        ["MAM legal -", "MAM attacked 2021-10-11"],
        [],
        ["several dates"],
    ),
    # -- Turkmen ---------------------------------------------------------------------------------
    (
        "tk",
        "2021-10-04",
        "",
        "Hukuk goraýjylar Stambulda täze tussaglyk barada habar berýärler.\nŞenbe güni polisiýa "
        "Kamil Abulowyň öýüne gelip, ony bölüme alyp gitdi. Soňra aktiwist Tuzladaky merkeze "
        "geçirildi.",
        ["ABU detained 2021-10-02", "ABU deportation_centre -"],
        [],
        ["weekday", "pronoun"],
    ),
    (
        "tk",
        "2021-10-28",
        "",
        "Merdan Badrow özüniň tussag edilendigi baradaky habarlary ret etdi we hiç kimiň ony "
        "saklamandygyny aýtdy.",
        [],
        ["BAD detained"],
        ["negation", "reported speech"],
    ),
    (
        "tk",
        "2021-10-26",
        "",
        "Aziz Mämmedowyň aýtmagyna görä, 25-nji oktýabrda iki näbelli adam onuň öýüne gelip, "
        "oňa haýbat atdy.",
        ["MAM threatened 2021-10-25"],
        [],
        ["reported speech"],
    ),
    (
        "tk",
        "2021-11-12",
        "",
        "Kazyýet 11-nji noýabrda Dursoltan Taganowanyň arzasyny kanagatlandyrmady.",
        ["TAG legal 2021-11-11"],
        [],
        ["court"],
    ),
    (
        "tk",
        "2021-10-22",
        "",
        "Migrasiýa gullugyndaky çeşmäniň aýtmagyna görä, Baýram Allalyýew indiki hepde "
        "boşadylyp bilner.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tk",
        "2021-11-02",
        "",
        "Nurmuhammet Annaýew 29-njy oktýabrda polisiýa söhbetdeşlige çagyryldy, 30-njy "
        "oktýabrda bolsa Farhad Durdyýew saklandy.",
        ["ANN summoned 2021-10-29", "DUR detained 2021-10-30"],
        [],
        ["several people", "several dates"],
    ),
    (
        "tk",
        "2022-01-04",
        "",
        "Dostlarynyň habar bermegine görä, Ahmet Rahmanow 28-nji dekabrda Izmirde saklandy.",
        ["RAH detained 2021-12-28"],
        [],
        ["year rollover", "reported speech"],
    ),
    (
        "tk",
        "2021-10-20",
        "",
        "Ahmet Rahmanow bilen Kamil Abulow Tuzlada saklanýarlar, olaryň aklawçysy kazyýete "
        "şikaýat berdi.",
        [
            "RAH deportation_centre -",
            "ABU deportation_centre -",
            "RAH legal -",
            "ABU legal -",
        ],
        [],
        ["several people", "court"],
    ),
    (
        "tk",
        "2021-10-21",
        "",
        "Bursada saklanan Serdar Annaýew aktiwist Nurmuhammet Annaýewiň garyndaşy däl.",
        [],
        [],
        ["namesake"],
    ),
    (
        "tk",
        "2021-10-19",
        "",
        "Polisiýa 18-nji oktýabrda konsullygyň öňünde Aziz Mämmedowy we Farhad Durdyýewi "
        "saklady, birnäçe sagatdan soň olaryň ikisi hem goýberildi.",
        [
            "MAM detained 2021-10-18",
            "DUR detained 2021-10-18",
            "MAM released -",
            "DUR released -",
        ],
        [],
        ["several people", "release after detention"],
    ),
    (
        "tk",
        "2021-11-05",
        "",
        "Türkiýäniň häkimiýetleri Kamil Abulowy entek deport etmediler, emma oňa on günüň "
        "dowamynda ýurtdan çykmak barada buýruk berildi.",
        ["ABU deportation_threat -"],
        ["ABU deported"],
        ["negation", "threat only"],
    ),
    (
        "tk",
        "2021-10-10",
        "",
        "Düýn agşam Nurmuhammet Annaýewe Stambuldaky öýüniň golaýynda hüjüm edildi.",
        ["ANN attacked 2021-10-09"],
        [],
        ["relative date"],
    ),
    (
        "tk",
        "2021-10-25",
        "",
        "Ahmet Rahmanow üç gün bäri açlyk yglan edip otyr.",
        ["RAH hunger_strike -"],
        [],
        [],
    ),
    (
        "tk",
        "2021-12-30",
        "",
        "Kamil Abulowyň işi boýunça kazyýet diňlenişigi 5-nji ýanwara bellenildi.",
        ["ABU legal 2022-01-05"],
        [],
        ["year rollover", "court"],
    ),
    (
        "tk",
        "2021-10-14",
        "",
        "Aziz Mämmedow özüni 11-nji oktýabrda uran adamlaryň üstünden prokuratura şikaýat etdi.",
        ["MAM attacked 2021-10-11", "MAM legal -"],
        [],
        ["several dates"],
    ),
    # -- Turkish ---------------------------------------------------------------------------------
    (
        "tr",
        "2021-10-04",
        "",
        "Hak savunucuları İstanbul'da yeni bir gözaltı olduğunu duyurdu.\nPolis cumartesi günü "
        "Kamil Abulov'un evine gelerek onu karakola götürdü. Aktivist daha sonra Tuzla'daki "
        "merkeze sevk edildi.",
        ["ABU detained 2021-10-02", "ABU deportation_centre -"],
        [],
        ["weekday", "pronoun"],
    ),
    (
        "tr",
        "2021-10-28",
        "",
        "Merdan Badrov, gözaltına alındığı yönündeki haberleri yalanladı ve kimsenin kendisini "
        "gözaltına almadığını söyledi.",
        [],
        ["BAD detained"],
        ["negation", "reported speech"],
    ),
    (
        "tr",
        "2021-10-26",
        "",
        "Aziz Memmedov, 25 Ekim'de evine gelen iki kişinin kendisini tehdit ettiğini anlattı.",
        ["MAM threatened 2021-10-25"],
        [],
        ["reported speech"],
    ),
    (
        "tr",
        "2021-11-12",
        "",
        "Mahkeme, Dursoltan Taganova'nın başvurusunu 11 Kasım'da reddetti.",
        ["TAG legal 2021-11-11"],
        [],
        ["court"],
    ),
    (
        "tr",
        "2021-10-22",
        "",
        "Göç İdaresi'ndeki bir kaynak, Bayram Allalıyev'in gelecek hafta serbest "
        "bırakılabileceğini söyledi.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "tr",
        "2021-11-02",
        "",
        "Nurmuhammet Annayev 29 Ekim'de emniyete ifade vermeye çağrıldı, 30 Ekim'de ise Farhad "
        "Durdıyev gözaltına alındı.",
        ["ANN summoned 2021-10-29", "DUR detained 2021-10-30"],
        [],
        ["several people", "several dates"],
    ),
    (
        "tr",
        "2022-01-04",
        "",
        "Arkadaşlarının verdiği bilgiye göre Ahmet Rahmanov 28 Aralık'ta İzmir'de gözaltına "
        "alındı.",
        ["RAH detained 2021-12-28"],
        [],
        ["year rollover", "reported speech"],
    ),
    (
        "tr",
        "2021-10-20",
        "",
        "Tuzla'da tutulan Ahmet Rahmanov ile Kamil Abulov'un avukatı mahkemeye itiraz dilekçesi "
        "verdi.",
        [
            "RAH deportation_centre -",
            "ABU deportation_centre -",
            "RAH legal -",
            "ABU legal -",
        ],
        [],
        ["several people", "court"],
    ),
    (
        "tr",
        "2021-10-21",
        "",
        "Bursa'da gözaltına alınan Serdar Annayev'in, aktivist Nurmuhammet Annayev ile bir "
        "akrabalığı yok.",
        [],
        [],
        ["namesake"],
    ),
    (
        "tr",
        "2021-10-19",
        "",
        "Polis 18 Ekim'de konsolosluk önünde Aziz Memmedov ve Farhad Durdıyev'i gözaltına aldı; "
        "ikisi birkaç saat sonra serbest bırakıldı.",
        [
            "MAM detained 2021-10-18",
            "DUR detained 2021-10-18",
            "MAM released -",
            "DUR released -",
        ],
        [],
        ["several people", "release after detention"],
    ),
    (
        "tr",
        "2021-11-05",
        "",
        "Türk makamları Kamil Abulov'u henüz sınır dışı etmedi, ancak kendisine on gün içinde "
        "ülkeyi terk etmesi için tebligat verildi.",
        ["ABU deportation_threat -"],
        ["ABU deported"],
        ["negation", "threat only"],
    ),
    (
        "tr",
        "2021-10-10",
        "",
        "Nurmuhammet Annayev dün akşam İstanbul'daki evinin yakınında saldırıya uğradı.",
        ["ANN attacked 2021-10-09"],
        [],
        ["relative date"],
    ),
    (
        "tr",
        "2021-10-25",
        "",
        "Ahmet Rahmanov üç gündür açlık grevinde.",
        ["RAH hunger_strike -"],
        [],
        [],
    ),
    (
        "tr",
        "2021-12-30",
        "",
        "Kamil Abulov davasının duruşması 5 Ocak'a ertelendi.",
        ["ABU legal 2022-01-05"],
        [],
        ["year rollover", "court"],
    ),
    (
        "tr",
        "2021-10-14",
        "",
        "Aziz Memmedov, kendisine 11 Ekim'de saldıranlar hakkında savcılığa suç duyurusunda "
        "bulundu.",
        ["MAM attacked 2021-10-11", "MAM legal -"],
        [],
        ["several dates"],
    ),
    # -- English ---------------------------------------------------------------------------------
    (
        "en",
        "2021-10-04",
        "",
        "Rights defenders report another detention in Istanbul.\nOn Saturday police came to "
        "Kamil Abulov's flat and took him to a police station. The activist was later moved to "
        "the removal centre in Tuzla.",
        ["ABU detained 2021-10-02", "ABU deportation_centre -"],
        [],
        ["weekday", "pronoun"],
    ),
    (
        "en",
        "2021-10-28",
        "",
        "Merdan Badrov denied reports of his arrest, saying nobody had detained him.",
        [],
        ["BAD detained"],
        ["negation", "reported speech"],
    ),
    (
        "en",
        "2021-10-26",
        "",
        "Aziz Mamedov said two strangers came to his home on 25 October and threatened him with "
        "reprisals.",
        ["MAM threatened 2021-10-25"],
        [],
        ["reported speech"],
    ),
    (
        "en",
        "2021-11-12",
        "",
        "On 11 November a court dismissed Dursoltan Taganova's lawsuit against the migration "
        "authority.",
        ["TAG legal 2021-11-11"],
        [],
        ["court"],
    ),
    (
        "en",
        "2021-10-22",
        "",
        "A source at the migration service said Bayram Allalyev could be released as early as "
        "next week.",
        [],
        [],
        ["hypothetical"],
    ),
    (
        "en",
        "2021-11-02",
        "",
        "Nurmukhamed Annayev was called in for questioning by police on 29 October, while "
        "Farkhad Durdyev was detained on 30 October.",
        ["ANN summoned 2021-10-29", "DUR detained 2021-10-30"],
        [],
        ["several people", "several dates"],
    ),
    (
        "en",
        "2022-01-04",
        "",
        "Akhmed Rakhmanov was detained in Izmir on 28 December, his friends said.",
        ["RAH detained 2021-12-28"],
        [],
        ["year rollover", "reported speech"],
    ),
    (
        "en",
        "2021-10-20",
        "",
        "Lawyers for Akhmed Rakhmanov and Kamil Abulov, who are being held in Tuzla, have "
        "appealed to the court.",
        [
            "RAH deportation_centre -",
            "ABU deportation_centre -",
            "RAH legal -",
            "ABU legal -",
        ],
        [],
        ["several people", "court"],
    ),
    (
        "en",
        "2021-10-21",
        "",
        "Serdar Annayev, who was detained in Bursa, is no relation of the activist Nurmukhamed "
        "Annayev.",
        [],
        [],
        ["namesake"],
    ),
    (
        "en",
        "2021-10-19",
        "",
        "Police detained Aziz Mamedov and Farkhad Durdyev outside the consulate on 18 October; "
        "both were released a few hours later.",
        [
            "MAM detained 2021-10-18",
            "DUR detained 2021-10-18",
            "MAM released -",
            "DUR released -",
        ],
        [],
        ["several people", "release after detention"],
    ),
    (
        "en",
        "2021-11-05",
        "",
        "Turkish authorities have not deported Kamil Abulov yet, but he has been ordered to "
        "leave the country within ten days.",
        ["ABU deportation_threat -"],
        ["ABU deported"],
        ["negation", "threat only"],
    ),
    (
        "en",
        "2021-10-10",
        "",
        "Nurmukhamed Annayev was assaulted near his home in Istanbul last night.",
        ["ANN attacked 2021-10-09"],
        [],
        ["relative date"],
    ),
    (
        "en",
        "2021-10-25",
        "",
        "Akhmed Rakhmanov has now been on hunger strike for three days.",
        ["RAH hunger_strike -"],
        [],
        [],
    ),
    (
        "en",
        "2021-12-30",
        "",
        "A hearing in Kamil Abulov's case has been set for 5 January.",
        ["ABU legal 2022-01-05"],
        [],
        ["year rollover", "court"],
    ),
    (
        "en",
        "2021-10-14",
        "",
        "Aziz Mamedov has filed a complaint with prosecutors against the men who beat him on "
        "11 October.",
        ["MAM legal -", "MAM attacked 2021-10-11"],
        [],
        ["several dates"],
    ),
]


def _event(spec: str) -> dict[str, str | None]:
    key, kind, day = spec.split()
    return {"person": PEOPLE[key], "type": kind, "date": None if day == "-" else day}


def _negated(spec: str) -> dict[str, str]:
    key, kind = spec.split()
    return {"person": PEOPLE[key], "type": kind}


def rows(split: str, table: list[Row]) -> list[dict]:
    """The JSON rows of one split, with stable ids (language, split initial, number)."""
    result, counters = [], dict.fromkeys(("ru", "tk", "tr", "en"), 0)
    for language, published, title, text, events, negated, hard in table:
        counters[language] += 1
        result.append(
            {
                "id": f"{language}-{split[0]}{counters[language]:02d}",
                "split": split,
                "language": language,
                "published": published,
                "title": title,
                "text": text,
                "events": [_event(e) for e in events],
                "negated": [_negated(n) for n in negated],
                "hard": hard,
            }
        )
    return result


def main() -> None:
    data = Path(__file__).with_name("data")
    for split, table in (("dev", DEV), ("heldout", HELDOUT)):
        path = data / f"events_eval_{split}.jsonl"
        lines = [json.dumps(r, ensure_ascii=False) for r in rows(split, table)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path}: {len(lines)} texts")


if __name__ == "__main__":
    main()
