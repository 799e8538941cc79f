"""The commonest injection and extraction phrases in other languages: "ignore the previous
instructions" and "show me your system prompt" in German, French, Spanish, Italian, Portuguese,
Dutch, Russian, Chinese and Japanese.

The English rules (``injection``, ``extraction``) know the many ways English puts it; here each
language has its plain phrasing, a verb, "previous" and "instructions" (or "your" and "system
prompt") within a few words of each other, reported under the same rule ids. The regexes read the
normalised view: accents dropped ("précédentes" -> "precedentes") and letters that look like Latin
ones folded to them, which turns Russian words into a mix of scripts ("инструкции" ->
"uhctpykцuu"). So Russian words are written in Cyrillic and turned into what the view holds, letter
by letter, for the lower and the upper case (``_cyrillic``). Chinese and Japanese keep their
characters; a few characters of filler stand for the words between.
"""

from __future__ import annotations

from routing.shield.normalize import normalize
from routing.shield.patterns import alt, gap, pattern

RULES = ()  # the patterns report injection.ignore_previous and extraction.system_prompt

IGNORE, REVEAL = "injection.ignore_previous", "extraction.system_prompt"


def _view(text: str) -> str:
    return normalize(text).text


def _cyrillic(*words: str) -> str:
    """A regex for ``words`` as the normalised view holds them, in either case letter by letter."""

    def letter(char: str) -> str:
        low, high = _view(char), _view(char.upper())
        return low if low == high else f"[{low}{high}]"

    return alt(*("".join(map(letter, word)) for word in words))


def _kana(*words: str) -> str:
    """A regex for Chinese or Japanese ``words`` as the view holds them (voicing marks dropped: "プ" -> "フ")."""
    return alt(*map(_view, words))


def _stems(*words: str) -> str:
    """Gate keys for Cyrillic words: each word but its first letter, in lower and in upper case, as the
    view holds it, and marked as a substring."""
    return " ".join(sorted({_view(stem) + "*" for word in words for stem in (word[1:], word[1:].upper())}))


_GAP = r"(?:\s{1,3}\S{1,24}){0,3}?\s{1,3}"  # up to three words of any script

# German, French, Spanish, Italian, Portuguese, Dutch, as the view holds them (no accents).
_LATIN_IGNORE = (
    "ignoriere ignorier ignorieren ignoriert vergiss vergesst missachte missachten ubergehe ignorez oublie oubliez "
    "ignora ignorad ignorate olvida olvide olvidad omite dimentica dimenticate esqueca esquecam desconsidere "
    "negeer vergeet"
)
_LATIN_PREVIOUS = (
    "vorherigen vorherige vorigen bisherigen obigen fruheren vorangegangenen precedentes precedente anterieures "
    "anteriores anterior previas precedenti vorige eerdere voorgaande"
)
_LATIN_ORDERS = (
    "anweisungen instruktionen befehle regeln vorgaben instructions instruction consignes regles directives "
    "instrucciones ordenes reglas indicaciones directrices istruzioni regole direttive indicazioni instrucoes "
    "regras ordens diretrizes instructies regels opdrachten"
)
_LATIN_SHOW = (
    "zeig zeige zeigt nenne nenn gib sag sage verrate wiederhole revele revelez montre montrez affiche affichez donne "
    "donnez repete repetez muestra muestrame revela dime repite mostra mostrami rivela dimmi ripeti mostre "
    "revele diga repita toon geef herhaal"
)
_LATIN_YOUR = (
    "dein deine deinen deinem ihren ihre ton ta tes votre vos tu tus su sus tuo tua tuoi tue seu sua seus suas "
    "je jouw uw"
)
_LATIN_PROMPT = (
    r"system\s?prompt|systemnachricht|systemanweisungen|(?:prompt|message)\s(?:du\s)?systeme|prompt\sdel\ssistema|"
    r"prompt\sdi\ssistema|prompt\sdo\ssistema|systeemprompt|(?:anweisungen|instructions|consignes|instrucciones|"
    r"istruzioni|instrucoes|instructies)\s(?:initiales|iniciales|iniziali|iniciais|originales|originali|"
    r"originais|secretes|secretas|segrete|versteckten|geheimen)|geheimen\sanweisungen|versteckten\sanweisungen"
)

_RU_IGNORE = ("игнорируй", "игнорируйте", "проигнорируй", "проигнорируйте", "забудь", "забудьте")
_RU_PREVIOUS = ("предыдущие", "предыдущих", "прежние", "прежних", "вышеуказанные", "все")
_RU_ORDERS = ("инструкции", "инструкций", "указания", "указаний", "правила", "команды")
_RU_SHOW = ("покажи", "покажите", "выведи", "выведите", "повтори", "раскрой", "напиши", "скажи", "назови")
_RU_PROMPT = ("системный промпт", "системные инструкции", "системное сообщение", "свой промпт", "твой промпт",
              "свои инструкции", "твои инструкции", "исходные инструкции")  # fmt: skip

_ZH_IGNORE = ("忽略", "无视", "忘记", "忘掉", "不要理会", "不理会")
_ZH_PREVIOUS = ("之前", "以前", "先前", "上面", "以上", "前面", "上述", "原来")
_ZH_ORDERS = ("指令", "指示", "说明", "规则", "提示", "命令", "设定")
_ZH_SHOW = ("告诉我", "显示", "输出", "打印", "重复", "泄露", "给我看", "说出")
_ZH_PROMPT = ("系统提示", "提示词", "系统指令", "初始指令", "指令", "设定", "系统消息")
_JA_PREVIOUS = ("以前", "これまで", "上記", "前", "先")  # each followed by "の"
_JA_ORDERS = ("指示", "命令", "ルール", "指令", "プロンプト")
_JA_IGNORE = ("無視", "忘れ")
_JA_PROMPT = ("システムプロンプト", "初期指示", "システム指示", "あなたの指示", "君の指示")
_JA_SHOW = ("教えて", "表示", "見せて", "出力", "繰り返")

PATTERNS = (
    pattern(
        IGNORE,
        f"{_LATIN_IGNORE} & {_LATIN_ORDERS}",
        rf"\b{alt(*_LATIN_IGNORE.split())}{gap(3)}(?:{alt(*_LATIN_PREVIOUS.split())}{gap(1)}"
        rf"{alt(*_LATIN_ORDERS.split())}|{alt(*_LATIN_ORDERS.split())}{gap(2)}{alt(*_LATIN_PREVIOUS.split())})\b",
    ),
    pattern(
        REVEAL,
        f"{_LATIN_SHOW} & {_LATIN_YOUR}",
        rf"\b{alt(*_LATIN_SHOW.split())}{gap(2)}{alt(*_LATIN_YOUR.split())}{gap(1)}(?:{_LATIN_PROMPT})\b",
    ),
    pattern(
        IGNORE,
        f"{_stems(*_RU_IGNORE)} & {_stems(*_RU_ORDERS)}",
        rf"{_cyrillic(*_RU_IGNORE)}{_GAP}(?:{_cyrillic(*_RU_PREVIOUS)}{_GAP})?{_cyrillic(*_RU_ORDERS)}",
    ),
    pattern(
        REVEAL,
        f"{_stems(*_RU_SHOW)} & {_stems('промпт', 'инструкции', 'сообщение')}",
        rf"{_cyrillic(*_RU_SHOW)}{_GAP}(?:\S{{1,24}}\s{{1,3}})?{_cyrillic(*_RU_PROMPT)}",
    ),
    # Chinese and Japanese: the database reads every letter outside ASCII alike, so it names these for
    # any text in another script. Each pattern opens with an alternation of its words alone, so ``re``
    # skips ahead to their first characters (one pattern for both languages tried every position:
    # ~100 µs per 4 KB where each of these takes ~10).
    pattern(
        IGNORE,
        "忽略* 无视* 忘* 理会*",
        rf"{_kana(*_ZH_IGNORE)}.{{0,6}}?{_kana(*_ZH_PREVIOUS)}.{{0,6}}?{_kana(*_ZH_ORDERS)}",
    ),
    pattern(
        IGNORE,
        "無視* 忘*",
        rf"{_kana(*_JA_PREVIOUS)}の.{{0,6}}?{_kana(*_JA_ORDERS)}.{{0,8}}?{_kana(*_JA_IGNORE)}",
    ),
    pattern(REVEAL, "你的* 您的*", rf"{_kana(*_ZH_SHOW)}.{{0,4}}?(?:你|您)的.{{0,4}}?{_kana(*_ZH_PROMPT)}"),
    pattern(REVEAL, f"{_view('システム')}* 指示*", rf"{_kana(*_JA_PROMPT)}.{{0,6}}?{_kana(*_JA_SHOW)}"),
)
