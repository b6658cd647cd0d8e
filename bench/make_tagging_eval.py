"""Writes bench/data/tagging_eval.jsonl: the labelled tagging evaluation set.

Texts are synthetic, written for tmwatch. Labels: ``tags`` (detention, turkmen-detention-turkey)
and ``persons`` (canonical watchlist names). Kept as code so the set is reviewed like code and
regenerated, never edited by hand: ``python bench/make_tagging_eval.py``.
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


def main() -> None:
    out = Path(__file__).with_name("data") / "tagging_eval.jsonl"
    with open(out, "w", encoding="utf-8") as handle:
        for n, (language, text, tags, persons) in enumerate(ROWS, 1):
            record = {
                "id": f"{language}-{n:03d}",
                "language": language,
                "text": text,
                "tags": sorted(tags),
                "persons": sorted(persons),
            }
            handle.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"{len(ROWS)} labelled texts -> {out}")


if __name__ == "__main__":
    main()
