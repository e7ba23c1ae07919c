"""The demo blog's posts and comments, as plain data.

Ids, slugs and dates (UTC, 2026) are fixed, so tests and screenshots can rely on them. Post
bodies are rendered HTML as WordPress stores it, with ``%BASE%`` for the server's base URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

BASE_TOKEN: Final = "%BASE%"
"""Placeholder for the server's base URL inside post bodies."""

SITE_NAME: Final = "Speichenwerk"
"""The blog's title."""

SITE_TAGLINE: Final = "Fahrräder, Werkzeug und ein bisschen Code"
"""The blog's description."""


@dataclass(frozen=True)
class Author:
    """A registered user: WordPress user ``id``, display ``name`` and unpublished ``email``."""

    id: int
    name: str
    email: str


@dataclass(frozen=True)
class Post:
    """A published post."""

    id: int  # WordPress post id, also the ``?p=ID`` shortlink
    slug: str  # the post lives at BASE/slug/
    title: str  # rendered: may hold character references, as WordPress emits them
    author: Author  # their comments on the post belong to their account
    date: datetime  # publication time (UTC)
    modified: datetime  # last edit (UTC)
    category: str
    body: str  # rendered HTML, with %BASE% for the base URL
    comments_open: bool  # initial comment status


@dataclass(frozen=True)
class Comment:
    """One comment; ``parent`` is 0 at the top level."""

    id: int  # site-wide, increasing with time
    post: int
    parent: int
    author: str  # the name as typed
    author_url: str  # or ""
    email: str  # never published; for the duplicate and flood checks
    date: datetime  # UTC
    text: str  # comment_content: plain text with a few inline tags
    user_id: int = 0  # the registered user who wrote it, or 0 for a guest
    status: str = "approved"  # or "hold" (awaiting moderation)


def at(stamp: str) -> datetime:
    """Parse ``"2026-03-02 08:14"`` as a UTC datetime."""
    return datetime.strptime(stamp, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)


HANNA: Final = Author(1, "Hanna Berger", "hanna@speichenwerk.example")
MILAN: Final = Author(2, "Milan Okafor", "milan@speichenwerk.example")

_REPAIR_CAFE = """\
<p>Vor genau einem Jahr haben wir zum ersten Mal das Tor im Hinterhof der Gärtnerstraße 14 \
geöffnet: zwei Montageständer, eine geliehene Standpumpe und ein Pappschild mit der Aufschrift \
„Reparatur-Café – heute kostenlos“. Seitdem ist viel passiert, Zeit für eine ehrliche Bilanz.</p>

<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="683" \
src="%BASE%/wp-content/uploads/2026/03/hinterhof-werkstatt.png" alt="Zwei Fahrräder hängen in \
Montageständern im Hinterhof, daneben ein Tisch mit Werkzeug und Kaffeetassen" \
class="wp-image-25"/><figcaption class="wp-element-caption">Samstagvormittag im Hinterhof, kurz \
bevor der Andrang beginnt.</figcaption></figure>

<h2 class="wp-block-heading">Die Zahlen</h2>

<figure class="wp-block-table"><table><thead><tr><th>Was</th><th>Anzahl</th></tr></thead><tbody>\
<tr><td>Reparaturtermine</td><td>24</td></tr><tr><td>Reparierte Räder</td><td>412</td></tr>\
<tr><td>Geflickte Schläuche</td><td>187</td></tr><tr><td>Tassen Kaffee</td><td>ungefähr 1.300\
</td></tr></tbody></table></figure>

<h2 class="wp-block-heading">Was gut funktioniert hat</h2>

<ul class="wp-block-list"><li>Hilfe zur Selbsthilfe: Wer kommt, schraubt selbst – wir erklären \
und halten fest.</li><li>Feste Termine an jedem zweiten Samstag statt „wenn es gerade passt“.</li>\
<li>Eine Kiste mit gespendeten Ersatzteilen, aus der sich alle gegen eine kleine Spende bedienen.\
</li><li>Die ‚heilige halbe Stunde‘ um zwölf, in der niemand schraubt und alle Kuchen essen.</li>\
</ul>

<h2 class="wp-block-heading">Was wir ändern</h2>

<p>Die Warteschlange war an manchen Tagen länger als der Hof. Ab April vergeben wir deshalb \
Nummern, und wer sich vorher anmeldet, bekommt einen festen Platz. Außerdem suchen wir Leute, \
die sich mit Nabenschaltungen auskennen: Die Dreigangnaben der alten Hollandräder sind jedes Mal \
eine Geduldsprobe. Über die <a href="%BASE%/winterpause-werkstatt-bis-maerz/">Winterpause</a> \
haben wir schon geschrieben; sie bleibt, weil der Hof im Januar einfach zu kalt ist.</p>

<blockquote class="wp-block-quote"><p>„Ich dachte, das Rad ist hinüber. Jetzt weiß ich, wie man \
eine Kette wechselt, und es fährt besser als vorher.“</p><cite>Eine Besucherin im Oktober</cite>\
</blockquote>

<h2 class="wp-block-heading">Mitmachen</h2>

<p>Ihr wollt mitschrauben, Werkzeug spenden oder einfach Kuchen vorbeibringen? Schreibt uns an \
<a href="mailto:werkstatt@speichenwerk.example">werkstatt@speichenwerk.example</a>. Anleitungen \
zum Nachlesen sammeln wir im <a href="https://wiki.speichenwerk.example/anleitungen">Werkstatt-Wiki\
</a>, und andere Initiativen in eurer Nähe findet ihr auf der \
<a href="https://reparatur-initiativen.example/karte">Karte der Reparatur-Initiativen</a>. \
Großen Dank an Frau Strauß von nebenan, die uns jeden Samstag Strom und Wasser gibt.</p>
"""

_SLOW_CLI = """\
<p>My little ride-log tool answers <code>ridelog --help</code> in 90&#160;ms now. Two weeks ago \
it took almost a full second, which is long enough to make you stop using a tool. Here&#8217;s \
how I found out where the time went.</p>

<h2 class="wp-block-heading">Measure first</h2>

<p>Python can tell you what every import costs. Sort the output by the cumulative column and \
the culprits float to the top:</p>

<pre class="wp-block-code"><code>$ python -X importtime -m ridelog --help 2&gt; imports.txt
$ sort -t '|' -k 2 -n imports.txt | tail -n 3
import time:       731 |     168115 | gpxpy
import time:      1893 |     512004 | pandas
import time:       402 |     889610 | ridelog.cli</code></pre>

<p>Half a second for pandas, which <code>--help</code> never touches. The fix is boring: import \
heavy modules where they are used, not at the top of the module.</p>

<pre class="wp-block-code"><code>def parse_gpx(path):
    import gpxpy  # deferred: only the import command needs it

    with open(path, encoding="utf-8") as handle:
        return gpxpy.parse(handle)</code></pre>

<p>The <a href="https://docs.python.org/3/using/cmdline.html#cmdoption-X">documentation of \
<code>-X importtime</code></a> is short and worth reading, and the \
<a href="https://code.ridelog.example/ridelog/commit/4f2a9c1">commit with all the changes</a> \
is public if you want to see the details.</p>
"""

_WINTER_BREAK = """\
<p>Ab dem 17. Januar machen wir Winterpause: Im Hinterhof ist es zu kalt zum Schrauben, und die \
Kettenöl-Flaschen werden zäh wie Honig. Der erste Termin danach ist der 7. März.</p>

<p>Wer in der Zwischenzeit dringend ein Ersatzteil braucht, kann uns eine Mail schreiben. Wir \
schauen dann, ob die Teilekiste etwas hergibt.</p>
"""

_NIGHT_RIDE = """\
<p>Last Friday we rode 60&#160;km along the river, from dusk until a little after two in the \
morning. It was cold, quiet and the best ride of the year so far. People asked what I carry on \
a night like that, so here is the list.</p>

<ol class="wp-block-list"><li>Two lights up front, one of them on the helmet.</li><li>A spare \
tube, tyre levers and a mini pump.</li><li>A thermos of sweet tea.</li><li>A warm layer I \
didn&#8217;t think I would need (I did).</li></ol>

<p>The route is on <a href="https://maps.speichenwerk.example/routes/river-night">our route \
map</a>. Next time, <em>you</em> are invited.</p>
"""


# fmt: off
POSTS: Final = (
    Post(12, "winterpause-werkstatt-bis-maerz", "Winterpause: Die Werkstatt macht bis März zu",
         HANNA, at("2026-01-09 10:00"), at("2026-01-09 10:00"), "Werkstatt",
         _WINTER_BREAK, False),
    Post(19, "why-my-ride-log-cli-took-a-second-to-start",
         "Why my ride-log CLI took a second to start",
         MILAN, at("2026-02-05 16:00"), at("2026-02-06 09:35"), "Code",
         _SLOW_CLI, True),
    Post(27, "ein-jahr-reparatur-cafe-im-hinterhof",
         "Ein Jahr Reparatur-Café im Hinterhof: was wir gelernt haben",
         HANNA, at("2026-03-02 07:30"), at("2026-03-03 08:00"), "Werkstatt",
         _REPAIR_CAFE, True),
    Post(34, "night-ride-along-the-river",
         "Night ride along the river: what&#8217;s in my saddlebag",
         HANNA, at("2026-03-20 19:45"), at("2026-03-20 19:45"), "Touren",
         _NIGHT_RIDE, True),
)
"""All posts, oldest first."""
# fmt: on

_THREADS = """\
== 12
#31 ^0 2026-01-09 12:30 Ole Petersen
Schade! Kann man in der Pause trotzdem Ersatzteile abholen?
#32 ^31 2026-01-09 14:02 Hanna Berger
Nach Absprache ja, schreib uns einfach eine Mail.
#34 ^0 2026-01-11 09:15 Katrin Möller
Erholt euch gut, bis März!
== 19
#40 ^0 2026-02-05 18:22 Rachel Kim <https://rachel.example.net/>
Great write-up. Did you try <code>importlib.util.LazyLoader</code> before moving the imports \
into functions?
#41 ^40 2026-02-05 19:05 Milan Okafor
I did! It worked, but it made tracebacks confusing for contributors, and plain deferred imports \
are easier to read. I might revisit it later.
#42 ^0 2026-02-06 07:40 Dev Patel
Tip: <code>tuna</code> draws the <code>-X importtime</code> output as an icicle chart. Much \
easier than sorting text.
#43 ^41 2026-02-06 08:15 Rachel Kim <https://rachel.example.net/>
Fair point, readable tracebacks beat clever tricks.
#44 ^42 2026-02-06 09:30 Milan Okafor
Oh, nice, I didn't know that one. Adding it to the post.
#45 ^0 2026-02-07 12:00 Sam O'Brien
Small thing: the second snippet opened the file without an encoding, which will bite Windows \
users.
#46 ^45 2026-02-07 12:45 Milan Okafor
Good catch, fixed. Thanks, Sam!
== 27
#52 ^0 2026-03-02 08:14 Jürgen Weiß
Glückwunsch zum ersten Geburtstag! Ich überlege seit Monaten, bei uns im Viertel etwas \
Ähnliches aufzuziehen. Was hat euch die Grundausstattung an Werkzeug gekostet?
#53 ^52 2026-03-02 09:02 Hanna Berger
Danke dir, Jürgen! Weniger, als wir befürchtet hatten: Vieles war gespendet, den Rest – \
Zentrierständer, Kettennieter, zwei gute Drehmomentschlüssel – haben wir für knapp 1.800 € \
gekauft. Das Geld kam zum größten Teil aus einem Fördertopf.
#54 ^52 2026-03-02 09:40 Aylin Demir
Kleiner Tipp: Auf Kleinanzeigen tauchen regelmäßig Werkzeugkoffer aus Werkstattauflösungen auf. \
Wir haben so einen Satz Konusschlüssel für 25 € bekommen.
#55 ^53 2026-03-02 10:05 Jürgen Weiß
Welcher Fördertopf war das? Stadtteilfonds oder etwas Überregionales?
#56 ^0 2026-03-02 11:30 Matthias Groß
Schönes Projekt, aber eine Frage treibt mich bei Reparatur-Cafés immer um: Wer haftet \
eigentlich, wenn nach eurer „Hilfe“ die Bremse versagt?
#57 ^55 2026-03-02 12:10 Hanna Berger
Der Verfügungsfonds unseres Quartiersmanagements. Der Antrag war zwei Seiten lang, die Zusage \
kam nach sechs Wochen. Frag bei euch im Stadtteilbüro nach, fast jede größere Stadt hat so \
etwas.
#58 ^56 2026-03-02 12:25 Hanna Berger
Berechtigte Frage. Bei uns schrauben die Leute selbst, wir leiten nur an. An der Wand hängt ein \
Hinweis dazu, und Arbeiten an Bremsen schauen sich immer zwei von uns an, bevor das Rad den Hof \
verlässt.
#59 ^0 2026-03-02 13:02 Peter Nowak
Wie organisiert ihr eigentlich den Andrang? Bei uns stehen die Leute um zehn schon Schlange, \
und um zwölf ist Schluss.
#60 ^57 2026-03-02 14:47 Katrin Möller <https://katrin-moeller.example.org/>
Kann ich bestätigen, in Leipzig lief das genauso unkompliziert. Sammelt nur für alles Belege: \
Die Abrechnung ist der eigentliche Aufwand.
#61 ^58 2026-03-02 15:20 Matthias Groß
Ein Schild an der Wand schützt euch aber nicht, wenn jemand grob fahrlässig etwas falsch \
erklärt. Habt ihr das mal prüfen lassen?
#62 ^58 2026-03-02 16:03 Lastenrad & Co. Köln <https://lastenrad-koeln.example/>
Wir machen das ähnlich, haben für Bremsen und Steuersatz aber eine Checkliste, die am Ende \
abgehakt wird. Seitdem gibt es deutlich weniger Diskussionen.
#63 ^61 2026-03-02 19:36 Sophie Krämer
Ich arbeite als Juristin, deshalb kurz dazu: Ein Haftungsausschluss hilft bei einfacher \
Fahrlässigkeit, bei grober nicht.

Viel wichtiger ist eine Vereinshaftpflicht. Die kostet kleine Initiativen oft weniger als 100 € \
im Jahr.
#64 ^60 2026-03-02 20:15 Jürgen Weiß
Danke euch beiden! Dann schreibe ich den Antrag noch diese Woche.
#65 ^62 2026-03-02 20:40 Hanna Berger
Die Checkliste würde uns sehr interessieren. Magst du sie teilen?
#66 ^63 2026-03-03 07:12 Matthias Groß
Danke, Sophie, das hilft. Dann nehme ich meine Skepsis ein Stück zurück.
#67 ^63 2026-03-03 07:45 Hanna Berger
Eine Vereinshaftpflicht haben wir tatsächlich seit Februar. Ich hätte das im Artikel erwähnen \
sollen – danke für die Ergänzung!
#68 ^59 2026-03-03 08:30 Hanna Berger
Ganz altmodisch: Nummernzettel wie auf dem Amt. Wer eine Nummer hat, holt sich einen Kaffee und \
muss nicht in der Schlange stehen.
#69 ^65 2026-03-03 09:55 Lastenrad & Co. Köln <https://lastenrad-koeln.example/>
Klar, hier ist sie als PDF: <a href="https://lastenrad-koeln.example/checkliste.pdf">Checkliste \
Bremsen &amp; Steuersatz</a>. Verbesserungen gern zurück an uns!
#70 ^0 2026-03-03 11:18 Elif Şahin
Gibt es bei euch auch etwas für Kinder? Meine Tochter (9) will unbedingt lernen, wie man einen \
Platten flickt.
#71 ^64 2026-03-03 12:02 Hanna Berger
Sag Bescheid, wenn du Hilfe brauchst. Ich kann dir unseren Antrag als Vorlage schicken, schreib \
einfach an die Werkstatt-Adresse.
#72 ^68 2026-03-03 13:30 Peter Nowak
Sehr gut. Und wie lange wartet man im Schnitt, bis man drankommt?
#73 ^70 2026-03-03 14:05 Hanna Berger
Ja! An jedem ersten Samstag im Monat gibt es eine Kinderwerkstatt, da geht es genau um \
Schläuche, Ketten und Licht. Anmelden muss man sich nicht.
#76 ^72 2026-03-04 09:10 Aylin Demir
Ich war im Februar da und habe ungefähr 40 Minuten gewartet. Mit Kaffee und Kuchen war das aber \
völlig okay 🙂
#77 ^0 2026-03-04 18:45 Tobias Reinhardt
Mal eine Werkstattfrage: Wie messt ihr Kettenverschleiß? Mit einer Lehre oder klassisch mit dem \
Lineal?
#78 ^77 2026-03-04 19:20 Katrin Möller <https://katrin-moeller.example.org/>
Lehre. Kostet zehn Euro, und man ist in fünf Sekunden fertig.
#79 ^0 2026-03-05 08:02 Benedikt Schulz
Bleiben die Öffnungszeiten im Sommer gleich?
#80 ^78 2026-03-05 10:15 Tobias Reinhardt
Die billigen Lehren messen das Rollenspiel mit und melden viel zu früh Verschleiß. Mit dem \
Lineal: 24 Glieder sollten 304,8 mm lang sein, ab etwa 306 mm ist die Kette fällig.
#81 ^79 2026-03-05 11:00 Hanna Berger
Ja, jeden zweiten Samstag von 10 bis 14 Uhr. Nur im August machen wir drei Wochen Pause.
#82 ^80 2026-03-05 13:47 Matthias Groß
Tobias hat recht. Wir haben mal drei Lehren gegen einen Messschieber verglichen, die günstigste \
lag um fast ein halbes Prozent daneben.
#83 ^80 2026-03-05 14:30 Peter Nowak
Kurze Zwischenfrage: 304,8 mm sind doch genau 12 Zoll. Warum rechnen wir bei Fahrradketten \
eigentlich immer noch in Zoll?
#84 ^0 2026-03-06 09:12 Greta Hoffmann
Sucht ihr noch Ehrenamtliche? Ich würde gern helfen, kann aber ehrlich gesagt nur Schläuche \
flicken.
#85 ^82 2026-03-06 10:40 Katrin Möller <https://katrin-moeller.example.org/>
Okay, überzeugt. Ich nehme meine Aussage zur Hälfte zurück: Die Lehre ist schnell, aber nicht \
genau.
#86 ^83 2026-03-06 12:05 Sophie Krämer
Weil die Teilung von einem halben Zoll seit über hundert Jahren Standard ist. Nur deshalb \
passen Ritzel, Kettenblätter und Ketten herstellerübergreifend zusammen.
#87 ^84 2026-03-06 13:20 Hanna Berger
Unbedingt! Schreib uns eine Mail, dann laden wir dich zum nächsten Helfertreffen ein.
#88 ^85 2026-03-06 16:55 Hanna Berger
Wir haben beide Werkzeuge da. Beim nächsten Termin legen wir eine Kette neben das Lineal und \
machen den Vergleich live.
#89 ^87 2026-03-06 18:10 Greta Hoffmann
Ich habe geschrieben. Ist es wirklich in Ordnung, dass ich nur Schläuche kann?
#90 ^89 2026-03-06 19:02 Jürgen Weiß
Damit fängt jede und jeder an. Ich konnte vor zwei Jahren auch nicht mehr.
#91 ^88 2026-03-07 08:30 Tobias Reinhardt
Fände ich klasse. Ich komme vorbei und bringe meinen Messschieber mit.
#92 ^0 2026-03-07 10:05 Aylin Demir
Wir haben noch einen alten Fahrradständer für sechs Räder im Keller. Könnt ihr den gebrauchen?
#93 ^90 2026-03-07 11:40 Hanna Berger
Genau so. Und nach drei Samstagen zeigst du den Neuen, wie man Schläuche flickt.
#94 ^92 2026-03-07 11:45 Hanna Berger
Sehr gern! Wir holen ihn mit dem Lastenrad ab, ich melde mich bei dir.
#95 ^0 2026-03-09 17:20 Ole Petersen
Einfach nur danke. Mein Rad stand zwei Jahre im Keller, seit Samstag fahre ich wieder damit zur \
Arbeit.
#96 ^95 2026-03-09 19:00 Hanna Berger
Das ist das schönste Feedback, das wir bekommen können. Gute Fahrt!
#97 ^0 2026-03-11 21:14 Matthias Groß
Nachtrag zur Haftungsfrage weiter oben: Der Dachverband hat dazu ein kurzes Merkblatt, das ich \
lesenswert fand: <a href="https://reparatur-initiativen.example/merkblatt-haftung">Merkblatt \
Haftung</a>.
"""
"""Comments grouped under ``== POST_ID``; each starts with ``#ID ^PARENT DATE AUTHOR [<URL>]``.

Ids 33, 35-39, 74 and 75 are missing on purpose: spam, deleted long ago, as on any real blog.
"""

_ENTRY = re.compile(r"^#(\d+) \^(\d+) (\S+ \S+) (.+?)(?: <(\S+)>)?\n(.*?)(?=^#|\Z)", re.M | re.S)


def _guest_email(name: str) -> str:
    """A stable, unpublished address for a guest commenter."""
    local = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum())
    return f"{local or 'guest'}@leser.example"


def _parse_threads(text: str) -> tuple[Comment, ...]:
    """Read :data:`_THREADS` into comments, in id order."""
    authors = {post.id: post.author for post in POSTS}
    comments: list[Comment] = []
    for section in text.split("== ")[1:]:
        post_id, _, entries = section.partition("\n")
        for entry in _ENTRY.finditer(entries):
            comments.append(_comment(int(post_id), authors[int(post_id)], entry))
    return tuple(sorted(comments, key=lambda comment: comment.id))


def _comment(post_id: int, post_author: Author, entry: re.Match[str]) -> Comment:
    """Build one comment; the post author's comments belong to their user account."""
    comment_id, parent, stamp, name, url, text = entry.groups()
    by_author = name == post_author.name
    return Comment(
        id=int(comment_id),
        post=post_id,
        parent=int(parent),
        author=name,
        author_url=url or "",
        email=post_author.email if by_author else _guest_email(name),
        date=at(stamp),
        text=text.strip(),
        user_id=post_author.id if by_author else 0,
    )


COMMENTS: Final = _parse_threads(_THREADS)
"""All comments, in id order (which is also date order)."""
