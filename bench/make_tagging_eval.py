"""Writes the labelled tagging evaluation sets: bench/data/tagging_eval.jsonl (dev) and
bench/data/tagging_eval_heldout.jsonl (held out).

Texts are synthetic, written for tmwatch. Labels: ``tags`` (detention, turkmen-detention-turkey)
and ``persons`` (canonical watchlist names), plus ``class`` (which name variant or trap a text
tests; "base" for the original set) and ``split``. Kept as code so the set is reviewed like code
and regenerated, never edited by hand: ``python bench/make_tagging_eval.py``.

The held-out rows (``HELDOUT_ROWS``) were written before the misspelling matcher and are never
used to tune it: they estimate how the policy does on coverage nobody tuned it on.
"""

from __future__ import annotations

import json
from pathlib import Path

D, S = "detention", "turkmen-detention-turkey"
TAG = "Dursoltan Taganova"
MAM = "Aziz Mamedov"
RAH = "Akhmed Rakhmanov"
ABU = "Kamil Abulov"
BAD = "Merdan Badrov"
ALL = "Bayram Allalyev"
DUR = "Farkhad Durdyev"
ANN = "Nurmukhamed Annayev"
OGU = "Ogulbibi Synagova"  # fictional: the evaluation's aliased person (bench/tagging_eval.py)

# (language, text, tags, persons)
ROWS: list[tuple[str, str, list[str], list[str]]] = [
    # -- Russian -------------------------------------------------------------------------------
    ("ru", "Полиция Стамбула задержала туркменскую активистку Дурсолтан Таганову.", [D, S], [TAG]),
    (
        "ru",
        "Таганову поместили в депортационный центр, хотя у неё есть статус временной защиты. "
        "Об этом сообщили её друзья в Стамбуле.",
        [D, S],
        [TAG],
    ),
    ("ru", "Адвокат Тагановой добился её освобождения через две недели.", [], [TAG]),
    ("ru", "Ахмеда Рахманова задержали в миграционном управлении Антальи.", [D, S], [RAH]),
    ("ru", "Активиста А. Рахманова перевели в депортационный центр в Тузле.", [D, S], [RAH]),
    ("ru", "С Ахмедом Рахмановым не дают встретиться адвокату.", [], [RAH]),
    (
        "ru",
        "Камила Абулова увезли из квартиры в Стамбуле и поместили в центр для депортации.",
        [D, S],
        [ABU],
    ),
    ("ru", "Байрама Аллалыева задержали, когда он подавал документы в Стамбуле.", [D, S], [ALL]),
    ("ru", "Аллалыев вышел из депортационного центра в Пендике.", [D, S], [ALL]),
    (
        "ru",
        "Полицейские искали Мердана Бадрова по адресу регистрации в Стамбуле, чтобы задержать.",
        [D, S],
        [BAD],
    ),
    ("ru", "Азиз Мамедов рассказал, что консульство потеряло его паспорт.", [], [MAM]),
    ("ru", "Фархада Дурдыева избили на территории консульства.", [], [DUR]),
    ("ru", "Нурмухамед Аннаев собирался выступить на конференции в Варшаве.", [], [ANN]),
    ("ru", "Турция депортировала в Ашхабад двух туркменских мигрантов из Измира.", [D, S], []),
    ("ru", "В Ашхабаде задержали туркменского блогера за публикацию в соцсетях.", [D], []),
    ("ru", "В Москве задержали нескольких граждан Туркменистана на стройке.", [D], []),
    ("ru", "В Стамбуле задержали группу мигрантов из Афганистана.", [D], []),
    ("ru", "Футболист Мамедов забил победный гол.", [], []),
    ("ru", "Рустам Рахманов открыл новый ресторан в Анталье.", [], []),
    (
        "ru",
        "Туркменский бизнесмен Рустам Рахманов задержан в Стамбуле по обвинению в мошенничестве.",
        [D, S],
        [],
    ),
    ("ru", "Пенсионерам в Лебапе задерживают выплаты уже второй месяц.", [], []),
    ("ru", "Рахманов подал жалобу в суд.", [], []),
    # -- Turkmen -------------------------------------------------------------------------------
    ("tk", "Dursoltan Taganowa Stambulda polisiýa tarapyndan saklandy.", [D, S], [TAG]),
    (
        "tk",
        "Taganowanyň aklawçysy onuň deportasiýa merkezinde saklanýandygyny aýtdy. "
        "Aktiwistka Türkiýede ýaşaýar.",
        [D, S],
        [TAG],
    ),
    ("tk", "Taganowa Türkmenistanyň konsullygynyň işini tankyt etdi.", [], [TAG]),
    ("tk", "Ahmet Rahmanow Antalýada migrasiýa edarasynda tussag edildi.", [D, S], [RAH]),
    (
        "tk",
        "Türkmen aktiwisti Rahmanowy Tuzladaky deportasiýa merkezine geçirdiler. "
        "Ahmet Rahmanow açlyk yglan etdi.",
        [D, S],
        [RAH],
    ),
    ("tk", "Kamil Abulow Stambuldaky öýünden alnyp gidildi.", [D, S], [ABU]),
    ("tk", "Abulowyň aýaly polisiýanyň sanawy barada gürrüň berdi.", [], [ABU]),
    ("tk", "Baýram Allalyýew Pendikdäki deportasiýa merkezinden boşadyldy.", [D, S], [ALL]),
    ("tk", "Türkmen aktiwisti Allalyýewi Stambulda sakladylar.", [D, S], [ALL]),
    ("tk", "Merdan Badrow polisiýanyň öýüne gelendigini eşidip, gizlenýär.", [], [BAD]),
    ("tk", "Aziz Mämmedowyň pasporty konsullykda ýitirildi.", [], [MAM]),
    ("tk", "Farhad Durdyýew konsullygyň howlusynda urlandygyny aýtdy.", [], [DUR]),
    ("tk", "Nurmuhammet Annaýew Warşawada çykyş etmekçi boldy.", [], [ANN]),
    ("tk", "Türkiýe iki türkmen migrantyny deport etdi.", [D, S], []),
    ("tk", "Aşgabatda türkmen blogeri tussag edildi.", [D], []),
    ("tk", "Moskwada türkmen raýatlary saklandy.", [D], []),
    ("tk", "Stambulda owgan migrantlary saklandy.", [D], []),
    ("tk", "Mämmedow ýaryşda ikinji orny eýeledi.", [], []),
    ("tk", "Daşoguzda pagta ýygymy başlandy.", [], []),
    ("tk", "Rustam Rahmanow Antalýada dükan açdy.", [], []),
    ("tk", "Annaýew täze kitabyny çap etdi.", [], []),
    # -- Turkish -------------------------------------------------------------------------------
    ("tr", "Türkmen aktivist Dursoltan Taganova İstanbul'da gözaltına alındı.", [D, S], [TAG]),
    ("tr", "Taganova'nın geri gönderme merkezine götürüldüğü öğrenildi.", [D, S], [TAG]),
    ("tr", "Taganova'ya destek veren dernekler açıklama yaptı.", [], [TAG]),
    ("tr", "Ahmet Rahmanov Antalya İl Göç İdaresi'nde gözaltına alındı.", [D, S], [RAH]),
    ("tr", "Rahmanov'un avukatı, Ahmet Rahmanov'un açlık grevinde olduğunu söyledi.", [], [RAH]),
    ("tr", "Kamil Abulov Tuzla Geri Gönderme Merkezi'nde tutuluyor.", [D, S], [ABU]),
    ("tr", "Bayram Allalıyev Pendik'te sınır dışı edilmeyi bekliyor.", [D, S], [ALL]),
    ("tr", "Allalıyev'in serbest bırakıldığı açıklandı.", [], [ALL]),
    (
        "tr",
        "Merdan Badrov'un evine polis geldi ve onu gözaltına almak istedi; İstanbul'da "
        "yaşayan aktivist evde değildi.",
        [D, S],
        [BAD],
    ),
    ("tr", "Aziz Mamedov konsolosluk önünde darp edildi.", [], [MAM]),
    ("tr", "Farhad Durdıyev saldırıyı polise bildirdi.", [], [DUR]),
    ("tr", "Nurmuhammet Annayev'in çantası çalındı.", [], [ANN]),
    ("tr", "İzmir'de yakalanan Türkmen göçmenler sınır dışı edildi.", [D, S], []),
    ("tr", "Van'da 40 Afgan göçmen gözaltına alındı.", [D], []),
    ("tr", "Aşkabat'ta bir Türkmen gazeteci tutuklandı.", [D], []),
    ("tr", "Moskova'da Türkmen işçiler gözaltına alındı.", [D], []),
    ("tr", "Mamedov maçta iki gol attı.", [], []),
    ("tr", "Asgari ücret görüşmeleri Aralık ayında başlayacak.", [], []),
    ("tr", "Mustafa Rahmanov Antalya'da otel açtı.", [], []),
    ("tr", "Kadıköy'de tiyatro festivali başladı.", [], []),
    ("tr", "Suriyeli sığınmacılar İstanbul'da gözaltına alındı.", [D], []),
    ("tr", "Durdıyev ailesi düğün yaptı.", [], []),
    # -- English -------------------------------------------------------------------------------
    (
        "en",
        "Turkish police detained the Turkmen activist Dursoltan Taganova in Istanbul.",
        [D, S],
        [TAG],
    ),
    (
        "en",
        "Taganova was held in a deportation centre in Istanbul despite her protection status.",
        [D, S],
        [TAG],
    ),
    ("en", "Taganova's lawyer thanked rights groups.", [], [TAG]),
    ("en", "Akhmed Rakhmanov was detained at the migration office in Antalya.", [D, S], [RAH]),
    (
        "en",
        "Rakhmanov's relatives fear he will be deported from Turkey, said Akhmed Rakhmanov's "
        "brother.",
        [D, S],
        [RAH],
    ),
    ("en", "Kamil Abulov was placed in the Tuzla deportation centre.", [D, S], [ABU]),
    ("en", "Bayram Allalyev was released from the Pendik deportation centre.", [D, S], [ALL]),
    (
        "en",
        "Police in Istanbul came to arrest Merdan Badrov but he was not at home.",
        [D, S],
        [BAD],
    ),
    ("en", "Aziz Mamedov says the consulate lost his passport.", [], [MAM]),
    ("en", "Farkhad Durdyev was beaten at the consulate.", [], [DUR]),
    ("en", "Nurmukhamed Annayev planned to speak in Warsaw.", [], [ANN]),
    (
        "en",
        "Turkey deported three Turkmen migrants to Ashgabat last week; they had been held in "
        "Istanbul.",
        [D, S],
        [],
    ),
    ("en", "A Turkmen blogger was arrested in Ashgabat.", [D], []),
    ("en", "Turkmen workers were detained in Moscow.", [D], []),
    ("en", "Afghan migrants were detained in Van, eastern Turkey.", [D], []),
    ("en", "Mamedov scored twice in the derby.", [], []),
    ("en", "Cotton picking began in Dashoguz province.", [], []),
    ("en", "Rustam Rakhmanov opened a hotel in Antalya.", [], []),
    ("en", "The flight from Istanbul was delayed by two hours.", [], []),
    ("en", "Rakhmanov spoke at the rally.", [], []),
    ("en", "Syrian refugees were taken into custody in Istanbul.", [D], []),
    ("en", "Annayev won the chess tournament.", [], []),
]


# -- Issue 11: misspelt names, national first names, brackets, aliases, traps ---------------------
# (language, text, tags, persons, class). Positive classes name the misspelling or form; "trap-*"
# classes are hard negatives: a namesake or another person one edit away from a watched name.

VARIANT_ROWS: list[tuple[str, str, list[str], list[str], str]] = [
    # inserted d (Abulov -> Abdulov)
    ("ru", "Камил Абдулов дал интервью Радио Азатлык.", [], [ABU], "inserted-d"),
    ("tk", "Kamil Abdulowyň aýaly polisiýa ýüz tutdy.", [], [ABU], "inserted-d"),
    ("tr", "Kamil Abdulov serbest bırakıldı.", [], [ABU], "inserted-d"),
    ("en", "Police detained Kamil Abdulov in Istanbul.", [D, S], [ABU], "inserted-d"),
    # i for y, y for i
    (
        "ru",
        "Байрама Аллалиева задержали в миграционной службе Стамбула.",
        [D, S],
        [ALL],
        "i-y",
    ),
    ("ru", "Адвокат Фархада Дурдиева подал жалобу.", [], [DUR], "i-y"),
    ("tk", "Farhad Durdiýew konsullykda urlandygyny aýtdy.", [], [DUR], "i-y"),
    ("tr", "Farhad Durdiyev ifade verdi.", [], [DUR], "i-y"),
    ("en", "Bayram Allaliev was detained at the Istanbul migration office.", [D, S], [ALL], "i-y"),
    # -ov written -of, -off, -ow
    ("ru", "Мердан Бадроф скрывается от полиции.", [], [BAD], "ov-ow"),
    ("tk", "Ahmet Rahmanof Tuzladaky merkezde açlyk yglan etdi.", [], [RAH], "ov-ow"),
    ("tr", "Ahmet Rahmanoff'un ailesi endişeli.", [], [RAH], "ov-ow"),
    ("en", "Kamil Abuloff spoke to reporters after his release.", [], [ABU], "ov-ow"),
    ("en", "Akhmed Rachmanow was moved to Tuzla.", [], [RAH], "ov-ow"),
    # a doubled (or undoubled) letter
    ("ru", "Ахмед Рахманнов объявил голодовку.", [], [RAH], "doubled"),
    ("tk", "Ahmet Rahmannow Antalýada tussag edildi.", [D, S], [RAH], "doubled"),
    ("tr", "Kamil Abullov Tuzla'da tutuluyor.", [], [ABU], "doubled"),
    ("en", "Merdan Baddrov did not answer the door.", [], [BAD], "doubled"),
    ("en", "Bayram Alalyev thanked his lawyer.", [], [ALL], "doubled"),
    # another letter
    ("ru", "Дурсолтан Тагонова вновь вызвана в миграционную службу.", [], [TAG], "substitution"),
    ("tk", "Aziz Mämmedew pasportyny yzyna alyp bilmedi.", [], [MAM], "substitution"),
    ("tr", "Aziz Mamedav konsolosluğa üçüncü kez gitti.", [], [MAM], "substitution"),
    ("en", "Akhmed Rakhmenov went on hunger strike.", [], [RAH], "substitution"),
    # a letter left out
    ("ru", "Ахмеда Рахмнова перевели в Тузлу.", [], [RAH], "deletion"),
    ("tk", "Dursoltan Tagnowa Türkiýede galýar.", [], [TAG], "deletion"),
    ("tr", "Bayram Allalev'in avukatı konuştu.", [], [ALL], "deletion"),
    ("en", "Merdan Badov was not at home.", [], [BAD], "deletion"),
    # two letters swapped
    ("ru", "Камил Аблуов дал показания.", [], [ABU], "transposition"),
    ("tr", "Ahmet Rahamnov'un avukatı konuştu.", [], [RAH], "transposition"),
    ("en", "Farkhad Durydev told rights groups about the attack.", [], [DUR], "transposition"),
    # a listed letter swap (Uzbek/Azerbaijani x for kh)
    ("en", "Akhmed Raxmanov remains on hunger strike.", [], [RAH], "letter-swap"),
    ("tr", "Ahmet Raxmanov'un ailesi açıklama yaptı.", [], [RAH], "letter-swap"),
    # national forms of first names
    ("tk", "Eziz Mämmedow konsullygyň öňünde urlandy.", [], [MAM], "national-first-name"),
    ("en", "Eziz Mamedov said the consulate kept his passport.", [], [MAM], "national-first-name"),
    ("ru", "Ахмет Рахманов объявил голодовку.", [], [RAH], "national-first-name"),
    ("tr", "Ferhat Durdıyev saldırganı tanıdı.", [], [DUR], "national-first-name"),
    ("tk", "Farhat Durdyýew polisiýa arza berdi.", [], [DUR], "national-first-name"),
    # another surname in brackets
    ("ru", "Ахмед Гурбанов (Рахманов) подал жалобу.", [], [RAH], "brackets"),
    ("tk", "Aziz Mämmedow (Orazow) konsullyga bardy.", [], [MAM], "brackets"),
    ("tr", "Farhad Orazov (Durdıyev) saldırıyı anlattı.", [], [DUR], "brackets"),
    (
        "en",
        "Aziz Gurbanov (Mamedov) said the consulate had lost his passport.",
        [],
        [MAM],
        "brackets",
    ),
    # an alias: the evaluation's fictional person known as Synagova, legally Nusgayeva
    (
        "ru",
        "Туркменскую активистку Огулбиби Нусгаеву задержали в Стамбуле.",
        [D, S],
        [OGU],
        "alias",
    ),
    ("tk", "Ogulbibi Nusgaýewa türkmen aktiwistleri bilen duşuşdy.", [], [OGU], "alias"),
    ("en", "Ogulbibi Synagova spoke at the Warsaw meeting.", [], [OGU], "alias"),
    ("en", "Nusgayeva wrote that the meeting had been cancelled.", [], [], "trap-alias-alone"),
    # traps: a woman of the watched man's surname
    ("tr", "Aziza Mamedova İstanbul'da konser verdi.", [], [], "trap-feminine"),
    ("en", "Aziza Mamedova, a cellist, performed in Ankara.", [], [], "trap-feminine"),
    ("tk", "Aziza Mämmedowa aýdym aýtdy.", [], [], "trap-feminine"),
    ("tr", "Aziz Mamedova kitabını tanıttı.", [], [], "trap-feminine"),
    # traps: another surname one or two edits from a watched one
    ("ru", "Азиз Самедов стал чемпионом Азербайджана.", [], [], "trap-near-surname"),
    ("tk", "Ahmet Rahimow Marynyň bazarynda işleýär.", [], [], "trap-near-surname"),
    ("tr", "Ahmet Rahmanlı yeni kitabını tanıttı.", [], [], "trap-near-surname"),
    (
        "en",
        "Ahmad Rahmonov, a Tajik poet, read his verses in Dushanbe.",
        [],
        [],
        "trap-near-surname",
    ),
    ("en", "Aziz Mammadli won the regional chess cup.", [], [], "trap-near-surname"),
    # traps: another first name before the (misspelt) surname
    ("ru", "Рустам Абдулов открыл ресторан.", [], [], "trap-other-first"),
    ("tk", "Serdar Durdiýew ýaryşda ýeňdi.", [], [], "trap-other-first"),
    ("tr", "Mehmet Rahmanof Antalya'da otel açtı.", [], [], "trap-other-first"),
    ("en", "Guwanch Abdulov won the chess cup.", [], [], "trap-other-first"),
    # traps: a short surname is never forgiven an edit
    ("en", "Nurmukhamed Atayev opened a bakery in Mary.", [], [], "trap-short"),
    ("ru", "Нурмухаммед Атаев выиграл турнир.", [], [], "trap-short"),
    # traps: a misspelt surname alone
    ("ru", "Абдулов сыграл главную роль в спектакле.", [], [], "trap-lone-misspelt"),
    ("tk", "Durdiýew ýaryşda birinji boldy.", [], [], "trap-lone-misspelt"),
    ("tr", "Abdulov'un yeni filmi vizyona girdi.", [], [], "trap-lone-misspelt"),
    ("en", "Allaliev scored in the final minute.", [], [], "trap-lone-misspelt"),
]

# -- Held out: written before the misspelling matcher; never used to tune it ----------------------

HELDOUT_ROWS: list[tuple[str, str, list[str], list[str], str]] = [
    (
        "ru",
        "Активиста Камила Абдулова задержали в Стамбуле и отправили в депортационный центр.",
        [D, S],
        [ABU],
        "inserted-d",
    ),
    ("ru", "Фархад Дурдиев рассказал журналистам о нападении у консульства.", [], [DUR], "i-y"),
    ("ru", "Мердан Бадроф не открыл дверь полицейским.", [], [BAD], "ov-ow"),
    ("ru", "Азиз Мамедова выступила на конференции в Анкаре.", [], [], "trap-feminine"),
    (
        "ru",
        "Ахмед Рахимов, бизнесмен из Самарканда, открыл кафе.",
        [],
        [],
        "trap-near-surname",
    ),
    (
        "ru",
        "Эзиз Мамедов передал паспорт в консульство ещё в сентябре.",
        [],
        [MAM],
        "national-first-name",
    ),
    ("ru", "Сердар Дурдиев задержан в Стамбуле.", [D], [], "trap-other-first"),
    ("ru", "Байрам Аллалыев (Оразов) вышел на свободу.", [], [ALL], "brackets"),
    (
        "tk",
        "Ahmet Rahmannow Tuzladaky deportasiýa merkezinde açlyk yglan etdi.",
        [D, S],
        [RAH],
        "doubled",
    ),
    ("tk", "Kamil Abdulow Stambulda tussag edildi.", [D, S], [ABU], "inserted-d"),
    ("tk", "Eziz Mämmedow konsullyga üç gezek bardy.", [], [MAM], "national-first-name"),
    ("tk", "Baýram Allaliýew boşadyldy.", [], [ALL], "i-y"),
    ("tk", "Maksat Abdulow Mary şäherinde dükan açdy.", [], [], "trap-other-first"),
    ("tk", "Aziz Samedow futbol ýaryşynda iki gol geçirdi.", [], [], "trap-near-surname"),
    ("tk", "Nurmuhammet Atayew Warşawa barada kitap ýazdy.", [], [], "trap-short"),
    ("tk", "Farhat Durdyýew polisiýa arza berdi.", [], [DUR], "national-first-name"),
    (
        "tr",
        "Türkmen aktivist Ahmet Rahmanof Antalya'da gözaltına alındı.",
        [D, S],
        [RAH],
        "ov-ow",
    ),
    (
        "tr",
        "Kamil Abdulov'un avukatı Tuzla'daki geri gönderme merkezine gitti.",
        [D, S],
        [ABU],
        "inserted-d",
    ),
    (
        "tr",
        "Ferhat Durdıyev, konsolosluk önünde dövüldüğünü anlattı.",
        [],
        [DUR],
        "national-first-name",
    ),
    ("tr", "Bayram Alaliyev Pendik'teki merkezden çıktı.", [], [ALL], "i-y"),
    ("tr", "Aziz Mamedova İstanbul'da bir sergi açtı.", [], [], "trap-feminine"),
    ("tr", "Ahmed Rahimov Antalya'da gözaltına alındı.", [D], [], "trap-near-surname"),
    ("tr", "Merdan Badirov'un evine polis geldi.", [], [BAD], "insertion"),
    ("tr", "Mustafa Abdulov İzmir'de otel işletiyor.", [], [], "trap-other-first"),
    (
        "en",
        "Turkmen activist Kamil Abdulov was taken to the Tuzla removal centre.",
        [D, S],
        [ABU],
        "inserted-d",
    ),
    (
        "en",
        "Akhmed Rakhmanoff remains in custody in Istanbul, his lawyer said.",
        [D, S],
        [RAH],
        "ov-ow",
    ),
    ("en", "Aziz Mamedova, a painter from Baku, opened an exhibition.", [], [], "trap-feminine"),
    ("en", "Farkhad Durdiev said he was lured into the consulate grounds.", [], [DUR], "i-y"),
    (
        "en",
        "Akhmed Rakhimov, an Uzbek chess player, won in Tashkent.",
        [],
        [],
        "trap-near-surname",
    ),
    (
        "en",
        "Dursoltan Tagonova was summoned again to the migration office.",
        [],
        [TAG],
        "substitution",
    ),
    ("en", "Bayram Allalyev (Orazov) was released from Pendik.", [], [ALL], "brackets"),
    ("en", "Serdar Durdiev was detained in Istanbul.", [D], [], "trap-other-first"),
    (
        "en",
        "Ogulbibi Nusgayeva, a Turkmen blogger, was detained in Istanbul.",
        [D, S],
        [OGU],
        "alias",
    ),
    (
        "ru",
        "Огулбиби Нусгаеву, туркменскую блогершу, задержали в Стамбуле.",
        [D, S],
        [OGU],
        "alias",
    ),
    ("ru", "Абдулов сыграл главную роль в фильме.", [], [], "trap-lone-misspelt"),
    ("en", "Durdiev won the race.", [], [], "trap-lone-misspelt"),
]


def _record(
    key: str, language: str, text: str, tags: list[str], persons: list[str], cls: str, split: str
) -> dict[str, object]:
    return {
        "id": key,
        "language": language,
        "text": text,
        "tags": sorted(tags),
        "persons": sorted(persons),
        "class": cls,
        "split": split,
    }


def _write(path: Path, records: list[dict[str, object]]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(records)} labelled texts -> {path}")


def main() -> None:
    data = Path(__file__).with_name("data")
    dev = [
        _record(f"{language}-{n:03d}", language, text, tags, persons, "base", "dev")
        for n, (language, text, tags, persons) in enumerate(ROWS, 1)
    ]
    dev += [
        _record(f"names-{language}-{n:03d}", language, text, tags, persons, cls, "dev")
        for n, (language, text, tags, persons, cls) in enumerate(VARIANT_ROWS, 1)
    ]
    heldout = [
        _record(f"held-{language}-{n:03d}", language, text, tags, persons, cls, "heldout")
        for n, (language, text, tags, persons, cls) in enumerate(HELDOUT_ROWS, 1)
    ]
    _write(data / "tagging_eval.jsonl", dev)
    _write(data / "tagging_eval_heldout.jsonl", heldout)


if __name__ == "__main__":
    main()
