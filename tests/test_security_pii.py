"""The PII screen broadened (issue 12): every spelling the attacker got through is refused
now, and a set of ordinary Dutch remarks of the kind boa's write still passes."""

import pytest

from pilot.services import pii

REFUSED = {
    "bsn": [
        "BSN 111.222.333",
        "bsn 111/222/333",
        "nummer 111,222,333",
        "111-222-333",
        "111\u00a0222\u00a0333",
    ],
    "email": [
        "mail jan[at]voorbeeld.nl",
        "jan (at) voorbeeld (dot) nl",
        "jan at voorbeeld dot nl",
        "jan @ voorbeeld.nl",
        "jan\uff20voorbeeld.nl",
        "jan apenstaartje voorbeeld punt nl",
    ],
    "telefoon": [
        "bel O6-12345678",
        "o612345678",
        "nul zes een twee drie vier vijf zes zeven acht",
        "06 12 34 56 78",
    ],
    "kenteken": ["auto xx99xx", "1 ABC 23", "XX.99.XX", "kenteken 99-xxx-9", "AB-12-CD"],
    "iban": ["rekening NL91 ABNA 0417 1643 00", "NL91ABNA0417164300"],
    "naam": [
        "Jan de Vries riep naar haar",
        "dader heet Kees Bakker",
        "volgens J. de Vries",
        "J.P. Bakker was erbij",
        "mevrouw Jansen werd nageroepen",
        "dhr. Van den Berg",
        "Fatima Visser deed aangifte",
    ],
    "straat": ["bij Coolsingel 40 gebeurd", "Kerkstraat 12a", "voor Stationsplein 3 B"],
    "geboortedatum": [
        "geboren 12-03-1990",
        "geb. 1-2-1985",
        "geboortedatum 3 maart 2001",
        "verdachte 12-03-1990",
    ],
}

ORDINARY = [
    "Man riep 'lekker ding' naar een vrouw bij de bushalte.",
    "Groep van vier jongens floot naar twee meisjes op het terras.",
    "Verdachte maakte obscene gebaren richting slachtoffer, daarna weggelopen.",
    "Slachtoffer verwezen naar slachtofferhulp; verdachte kreeg een waarschuwing.",
    "Om 2 uur 15 was het druk op het Stationsplein.",
    "Op de Coolsingel bij de ingang van de club.",
    "Bij het Stationsplein 3 jongens aangesproken.",
    "Twee mannen volgden een vrouw door het park, na aanspreken gestopt.",
    "Melding via de app om 23:40, ter plaatse geen verdachte aangetroffen.",
    "Verdachte (ca. 20 jaar) raakte het been van het slachtoffer aan.",
    "Proces-verbaal opgemaakt, zaak overgedragen aan politie wegens mogelijk aanranding.",
    "Camera op de Markt zag het incident; beelden opgevraagd.",
    "Slachtoffer wilde geen aangifte doen.",
    "Jongeren maakten kusgeluiden naar voorbijgangers bij het station.",
    "In burger gesurveilleerd met twee collega's; spotter gaf signaal.",
    "Verdachte was onder invloed en werd door de politie meegenomen.",
    "Opmerkingen over uiterlijk bij de fietsenstalling, 3 keer herhaald.",
    "Na 5 minuten kwam de verdachte terug en riep opnieuw.",
    "Situatie op 12-09-2025 rond sluitingstijd onrustig.",
    "De bakker op de hoek zag het ook gebeuren.",
    "Visser met hengel werd niet lastiggevallen.",
    "Het was rustig in het Vondelpark, alleen een groepje bij de vijver.",
    "Meneer werd aangesproken op zijn gedrag.",
    "Een mevrouw van middelbare leeftijd werd nageroepen.",
    "Evenement Koningsdag, veel drukte op de kade.",
    "Roos en bloemen lagen op de grond na het evenement.",
    "Gebaren gemaakt vanuit een auto, kenteken niet genoteerd.",
    "Verdachte zei dat hij het niet zo bedoelde.",
    "Incident bij lijn 12 richting centrum.",
    "Twee vrouwen van rond de 30 gaven een signalement.",
    "Verdachte is 1,80 m lang en droeg een zwarte jas.",
    "Er waren ongeveer 150 bezoekers op het plein.",
    "Na de waarschuwing is de groep richting de Grote Markt vertrokken.",
    "Het slachtoffer was erg geschrokken en werd opgevangen door een vriendin.",
    "Gedraging herhaalde zich op de terugweg langs de gracht.",
    "Terrasmedewerker meldde het via 112 niet, wel via de app.",
    "Er werd geroepen: hé schatje, kom eens hier!",
    "Jongen van 16 kreeg een reprimande; ouders ingelicht.",
    "Bas van de band stond op het podium toen het gebeurde.",
    "Eind september 2025 vaker meldingen op deze plek.",
]


@pytest.mark.parametrize(
    ("kind", "text"), [(kind, text) for kind, texts in REFUSED.items() for text in texts]
)
def test_personal_data_in_any_spelling_is_refused(kind, text):
    assert kind in pii.screen(text), (text, pii.screen(text))


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_dutch_remarks_still_pass(text):
    assert pii.screen(text) == []


def test_message_names_the_kind_without_the_data():
    found = pii.screen("Jan de Vries, NL91 ABNA 0417 1643 00")
    message = pii.message(found, "opmerking")
    assert "een naam" in message and "IBAN" in message and "Vries" not in message
