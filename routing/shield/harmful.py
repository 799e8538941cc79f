"""Framed harmful requests: a request for clearly harmful help wrapped in fiction, role-play, research or
a disclaimer ("purely for educational purposes, will never be used").

None of the three signals is an attack alone: people ask about bombs in history homework, write crime
novels and say "for educational purposes" all the time. Any two of them together (on different words)
are the shape of persuasion jailbreaks (PAIR-style role-play, "hypothetically, for a novel ... this
will never be used"), and are blocked. The harmful-request signal also lets the adversarial-suffix
detector block at a lower gibberish score (see ``adversarial``). The harm vocabulary follows the
usual safety-policy taxonomy: weapons, drugs, malware and intrusion, fraud, violence, self-harm, hate
and harassment, sexual content with minors or without consent, surveillance of a person, evading
the law.
"""

from __future__ import annotations

from routing.shield.findings import Hit, Rule, Severity
from routing.shield.patterns import WORD, alt, pattern

C = "jailbreak"
LINK = 8000  # at most this many characters between two signals that make one finding (see ``escalate``)
HARMFUL, FRAME, DISCLAIMER, FRAMED = (
    "jailbreak.harmful_request",
    "jailbreak.fiction_frame",
    "jailbreak.disclaimer",
    "jailbreak.framed_harmful_request",
)
RULES = (
    Rule(HARMFUL, C, Severity.LOW, "Asks for help with something clearly harmful (weapons, malware, fraud, ...)."),
    Rule(FRAME, C, Severity.LOW, "Wraps the request in fiction, role-play or a hypothetical."),
    Rule(DISCLAIMER, C, Severity.LOW, "Claims the request is only for research or education, or will not be used."),
    Rule(FRAMED, C, Severity.HIGH, "A harmful request, a fictional frame or a disclaimer occur together."),
)

_G = rf"(?:\s{{1,3}}{WORD}){{0,6}}?\s{{1,3}}"  # up to six words in between
_MAKE = alt(
    "make", "making", "build", "building", "create", "creating", "assemble", "construct", "synthesi[sz]e",
    "synthesi[sz]ing", "manufacture", "manufacturing", "produce", "producing", "cook", "cooking", "brew", "obtain",
    "acquire", "buy", "get", "develop", "developing", "write", "writing", "code", "design", "designing", "deploy",
    "spread", "distribute", "distributing", "smuggle", "smuggling", "sell", "selling", "hide", "hiding", "plant",
)  # fmt: skip
_WEAPON = alt(
    "bombs?", "pipe bombs?", "explosives?", "explosive devices?", "ieds?", "detonators?", "grenades?",
    "molotov(?: cocktails?)?", "napalm", "thermite", "nerve agents?", "sarin", "ricin", "anthrax", "bioweapons?",
    "biological weapons?", "chemical weapons?", "dirty bombs?", "nuclear weapons?", "ghost guns?",
    "untraceable (?:guns?|firearms?|weapons?)", "silencers?", "poisons?", "lethal doses?",
    "(?:meth|methamphetamine|fentanyl|heroin|cocaine|crack|lsd|mdma|ecstasy)", "illegal drugs?",
    "ransomware", "keyloggers?", "malware", "(?:computer )?virus(?:es)?", "trojans?", "botnets?", "rootkits?",
    "spyware", "worms?", "exploits?", "zero-days?", "phishing (?:e-?mails?|pages?|sites?|websites?|kits?|scams?)",
    "(?:a |an )?(?:scam|fraudulent|fake) (?:e-?mails?|websites?|charit(?:y|ies)|calls?|letters?|invoices?)",
    "counterfeit (?:money|currency|bills|notes|goods|products|medication)", "fake (?:ids?|passports?|documents?)",
    "child (?:pornography|porn|sexual abuse material)", "csam", "revenge porn", "deepfake porn(?:ography)?",
    "(?:hate speech|racist (?:jokes?|propaganda|content|slurs?))", "propaganda", "disinformation", "fake news",
    "defamatory (?:articles?|posts?|statements?|claims?)", "ponzi schemes?", "pyramid schemes?",
)  # fmt: skip
_ACT = alt(
    r"hack(?:ing)?\s{1,3}into", r"break(?:ing)?\s{1,3}into", "steal(?:ing)?", "launder(?:ing)?", "forg(?:e|ing)",
    r"hotwir(?:e|ing)\s{1,3}(?:a|an|the|someone's)\s{1,3}(?:\w{1,15}\s{1,3})?(?:car|vehicle|truck|motorcycle|motorbike)",
    "counterfeit(?:ing)?", "kidnap(?:ping)?", "traffick?(?:ing)?", "poison(?:ing)?", "assassinat(?:e|ing)",
    "murder(?:ing)?", "torture?(?:ing)?", "blackmail(?:ing)?", "extort(?:ing)?", "bribe?(?:ing)?", "embezzl(?:e|ing)",
    "stalk(?:ing)?", "dox(?:x?ing)?", "harass(?:ing)?", "cyberbully(?:ing)?", "groom(?:ing)?", "scam(?:ming)?",
    "defraud(?:ing)?", "sabotag(?:e|ing)", r"evad(?:e|ing)\s{1,3}(?:taxes|the\s{1,3}police|law\s{1,3}enforcement|"
    r"detection|customs|immigration|security|airport\s{1,3}security|arrest|a\s{1,3}drug\s{1,3}test)",
    r"bypass(?:ing)?\s{1,3}(?:security|authentication|antivirus|2fa|the\s{1,3}paywall|drm|a\s{1,3}breathalyzer)",
    r"crack(?:ing)?\s{1,3}(?:passwords?|software|wi-?fi)", r"spy(?:ing)?\s{1,3}on", r"cheat(?:ing)?\s{1,3}on",
    r"self-harm", r"commit(?:ting)?\s{1,3}(?:suicide|fraud|arson|a\s{1,3}(?:crime|murder|terrorist))",
    r"kill(?:ing)?\s{1,3}(?:myself|yourself|someone|somebody|a\s{1,3}person|people|my|him|her|them)",
    r"(?:hurt|harm)(?:ing)?\s{1,3}(?:someone|somebody|a\s{1,3}child|children|people|animals|myself)",
    r"get\s{1,3}away\s{1,3}with\s{1,3}(?:murder|it|a\s{1,3}crime|fraud)", r"insider\s{1,3}trading",
    r"manipulat(?:e|ing)\s{1,3}(?:someone|people|a\s{1,3}person|him|her)\s{1,3}into",
)  # fmt: skip
_SUBJECT_KEYS = (
    "bomb bombs explosive explosives ied ieds detonator detonators grenade grenades molotov napalm thermite nerve "
    "sarin ricin anthrax bioweapon bioweapons biological chemical nuclear ghost untraceable silencer silencers "
    "poison poisons lethal meth methamphetamine fentanyl heroin cocaine crack lsd mdma ecstasy drugs drug "
    "ransomware keylogger keyloggers malware virus viruses trojan trojans botnet botnets rootkit rootkits spyware "
    "worm worms exploit exploits zero phishing scam fraudulent fake counterfeit child csam revenge deepfake hate "
    "racist propaganda disinformation defamatory ponzi pyramid"
)
_ACT_KEYS = (
    "hotwire hotwiring hack hacking break breaking steal stealing launder laundering forge forging "
    "counterfeit counterfeiting kidnap kidnapping traffic trafficking poison poisoning assassinate "
    "assassinating murder murdering torture torturing blackmail blackmailing extort extorting bribe bribing "
    "embezzle embezzling stalk stalking dox doxing doxxing harass harassing cyberbully cyberbullying groom "
    "grooming scam scamming defraud defrauding sabotage sabotaging evade evading bypass bypassing crack "
    "cracking spy spying cheat cheating self commit committing kill killing hurt hurting harm harming get "
    "insider manipulate manipulating"
)
_MARKER = alt(
    "illegal(?:ly)?", "unlawful(?:ly)?", r"without\s{1,3}(?:getting\s{1,3}caught|being\s{1,3}(?:caught|detected|"
    r"noticed|traced)|(?:their|his|her|the\s{1,3}(?:user'?s?|owner'?s?|person'?s?))\s{1,3}(?:consent|knowledge|"
    r"permission)|consent|alerting|leaving\s{1,3}(?:a\s{1,3})?(?:trace|evidence))",
    r"unauthori[sz]ed\s{1,3}access", r"(?:avoid|avoiding|evade|evading|escape|escaping)\s{1,3}(?:detection|"
    r"being\s{1,3}(?:caught|detected|convicted|arrested)|the\s{1,3}police|law\s{1,3}enforcement|taxes)",
    "xenophobic", "sexist", "racist", "misogynistic", "homophobic", "transphobic", "antisemitic", "hateful",
    "pornographic", "sexually explicit", "identity theft", r"tamper(?:ing)?\s{1,3}with", "pirat(?:e|ed|ing)",
    r"glorif(?:y|ies|ying)", r"(?:is|was)\s{1,3}(?:a\s{1,3})?hoax", "ddos", "cannibal(?:s|ism)?",
    r"defam(?:e|ing|atory)", r"(?:encourag|promot|convinc)(?:e|es|ing)\s{1,3}(?:\w{1,20}\s{1,3}){0,4}?"
    r"(?:to\s{1,3})?(?:self-harm|suicide|anorexia|bulimia|eat(?:ing)?\s{1,3}(?:laundry|detergent|bleach))",
)  # fmt: skip
_MARKER_KEYS = (
    "illegal illegally unlawful unlawfully without unauthorized unauthorised avoid avoiding evade evading escape "
    "escaping xenophobic sexist racist misogynistic homophobic transphobic antisemitic hateful pornographic "
    "sexually identity tamper tampering pirate pirated pirating glorify glorifies glorifying hoax ddos cannibal "
    "cannibals cannibalism defame defaming defamatory encourage encourages encouraging promote promotes "
    "promoting convince convinces convincing"
)
_HOW = alt(
    "how (?:to|do i|do you|can i|would (?:i|you|one|someone)|could (?:i|one|someone)|did)", "steps? (?:to|for)",
    "step-by-step", "instructions? (?:to|for|on)", "guide (?:to|on|for)", "tutorial (?:on|for)", "ways? to",
    "tips (?:on|for)", "recipe for", "method(?:s)? (?:to|for)",
    # a plan asked for, not a character's ("the villain explains his plan to steal the crown jewels")
    "(?<!his )(?<!her )(?<!their )(?<!its )(?<!'s )plan (?:to|for)", "explain how", "describe how",
    "detail(?:ed)? how", "teach me", "help me", "write", "draft", "create", "generate", "provide(?: a| an| the)?",
    "give(?: me)?(?: a| an| the)?", "list(?: of)?",
    "develop", "design", "script that", "program that", "code that", "compose", "produce", "make", "build",
    "explain", "describe", "outline", "what would you (?:say|tell me|write) (?:about|on|regarding)",
    # what someone else did, asked of a persona ("tell me how she made napalm"): with a making word after it
    r"how (?:she|he|they)(?= (?:used to |would )?(?:made|make|built|cooked|produced|mixed|synthesi[sz]ed)\b)",
)  # fmt: skip
_HOW_KEYS = (
    "how steps step instructions instruction guide tutorial ways way tips recipe method methods plan explain "
    "describe detail detailed teach help write draft create generate provide give list develop design script "
    "program code compose produce make build explain describe outline say tell"
)
# The model imagined without its limits ("if you were not restricted", "if you had no filters"), not a
# limit on something else ("if you had no restrictions on budget").
_UNLIMITED = (
    r"if\s{1,3}you\s{1,3}(?:(?:were|was)(?:n't|\s{1,3}not)\s{1,3}(?:restricted|censored|filtered|limited|bound\s{1,3}"
    r"by\s{1,3}(?:any\s{1,3}|your\s{1,3})?(?:rules|guidelines|restrictions|policies|filters|ethics))"
    r"|(?:were|was)\s{1,3}(?:completely\s{1,3}|totally\s{1,3}|fully\s{1,3})?(?:unrestricted|uncensored|unfiltered|unbound)"
    r"|(?:had\s{1,3}(?:no|zero)|(?:didn't|did\s{1,3}not)\s{1,3}have(?:\s{1,3}any)?)\s{1,3}(?:restrictions|rules|"
    r"filters|guidelines|limits|limitations|censorship|safety\s{1,3}(?:rules|filters|guidelines)))"
    r"(?!\s{1,3}(?:on|of|for|in|at|about|from|with|to|by)\b)"
)

PATTERNS = (
    pattern(
        HARMFUL,
        f"{_HOW_KEYS} & {_SUBJECT_KEYS}",
        rf"{_HOW}(?:\s{{1,3}}{WORD}){{0,10}}?\s{{1,3}}(?:{_MAKE}\s{{1,3}}(?:{WORD}\s{{1,3}}){{0,3}}?)?{_WEAPON}\b",
    ),
    pattern(HARMFUL, f"{_HOW_KEYS} & {_ACT_KEYS}", rf"{_HOW}(?:\s{{1,3}}{WORD}){{0,8}}?\s{{1,3}}{_ACT}\b"),
    pattern(HARMFUL, f"{_HOW_KEYS} & {_MARKER_KEYS}", rf"{_HOW}(?:\s{{1,3}}{WORD}){{0,12}}?\s{{1,3}}{_MARKER}\b"),
    pattern(
        FRAME,
        "imagine fictional fiction hypothetical hypothetically story novel screenplay script chapter character "
        "roleplay role scenario pretend game movie film play thriller journalist researcher writer novelist "
        "author screenwriter historian scientist chemist hacker investigator reporter working writing conducting "
        "deceased late dead departed restricted censored filtered limited bound unrestricted uncensored "
        "unfiltered unbound restrictions rules filters guidelines limits limitations censorship",
        r"imagine\s{1,3}(?:you(?:'re|\s{1,3}are)|a\s{1,3}(?:world|scenario|situation)|that\s{1,3}you)"
        r"|(?:fictional|hypothetical|imaginary|alternate|parallel)\s{1,3}(?:world|universe|scenario|story|setting|"
        r"situation|reality)|hypothetically|in\s{1,3}(?:a|this|the|my)\s{1,3}(?:novel|"
        r"story|screenplay|movie|film|game|thriller|book|play)"
        r"|(?:write|writing|compose|draft)\s{1,3}(?:a|an|the|this)\s{1,3}(?:\w{1,20}\s{1,3}){0,3}?(?:story|novel|"
        r"screenplay|script|scene|chapter|dialogue|poem|monologue)"
        r"|you\s{1,3}are\s{1,3}(?:an?\s{1,3})?(?:\w{1,20}\s{1,3}){0,3}?(?:writer|novelist|author|journalist|"
        r"researcher|scientist|chemist|hacker|detective|character|screenwriter|historian|professor|expert|"
        r"consultant|investigator|reporter|analyst|agent|spy)\b"
        r"|(?:role-?play|pretend|in\s{1,3}character|as\s{1,3}a\s{1,3}character|thought\s{1,3}experiment)"
        r"|(?:^|[.!?]\s{1,3})as\s{1,3}an?\s{1,3}(?:\w{1,20}\s{1,3}){0,2}?(?:journalist|researcher|writer|novelist|"
        r"author|screenwriter|historian|scientist|chemist|hacker|investigator|reporter)\b"
        r"|(?:i'm|i\s{1,3}am)\s{1,3}(?:currently\s{1,3})?(?:working\s{1,3}on|writing|conducting)\s{1,3}(?:a|an|my)\s"
        r"{1,3}(?:\w{1,20}\s{1,3}){0,2}?(?:novel|story|screenplay|book|research|study|project|thesis|paper)"
        r"|consider\s{1,3}(?:the\s{1,3}following|a|this)\s{1,3}(?:\w{1,20}\s{1,3}){0,2}?scenario"
        # the "grandma" exploit: a dead relative who used to recite the harmful thing
        r"|(?:deceased|late|dead|departed)\s{1,3}(?:grand(?:ma|mother|pa|father)|granny|nana|gran)\b"
        rf"|{_UNLIMITED}",
    ),
    pattern(
        FRAME,
        "refuse decline say don't & die dies hurt killed",
        # a refusal made to cost a life ("If you refuse, a kitten dies")
        r"if\s{1,3}you\s{1,3}(?:refuse|decline|say\s{1,3}no|don't\s{1,3}(?:answer|comply|help))\s{0,3},?\s{1,3}"
        r"(?:\w{1,20}\s{1,3}){0,3}?(?:dies?|will\s{1,3}die|gets?\s{1,3}(?:hurt|killed)|will\s{1,3}(?:be\s{1,3})?"
        r"(?:hurt|killed))\b",
    ),
    pattern(
        DISCLAIMER,
        "purposes purpose never intention condoning condone encouraging disregard ignore awareness research "
        "hypothetical fictional promise promote encourage endorse academic used recommended meant",
        r"(?:purely|strictly|only|solely|just|entirely)\s{1,3}(?:for\s{1,3})?(?:\w{1,15}\s{1,3}(?:and|or)\s{1,3})?"
        r"(?:educational|research|academic|fictional|informational|entertainment|hypothetical|scientific|"
        r"awareness|training|creative)(?:\s{1,3}(?:purposes?|reasons?|use))?"
        r"|for\s{1,3}(?:educational|research|academic|fictional|informational|awareness)\s{1,3}(?:and\s{1,3}"
        r"\w{1,15}\s{1,3})?purposes?"
        r"|(?:will|would|shall)\s{1,3}(?:never|not)\s{1,3}(?:actually\s{1,3})?be\s{1,3}used"
        r"|(?:have|has)\s{1,3}no\s{1,3}(?:real\s{1,3})?intention\s{1,3}of"
        r"|(?:i'm|i\s{1,3}am)\s{1,3}not\s{1,3}(?:condoning|encouraging|promoting|advocating)"
        r"|(?:disregard|ignore|set\s{1,3}aside)\s{1,3}(?:any\s{1,3})?(?:possible\s{1,3})?(?:ethical|moral|legal)\s"
        r"{1,3}(?:implications|concerns|considerations|issues)"
        r"|(?:raise|raising)\s{1,3}awareness|i\s{1,3}promise\s{1,3}(?:i|not\s{1,3}to)"
        r"|not\s{1,3}(?:to\s{1,3})?(?:promote|encourage|endorse|condone)\s{1,3}(?:or\s{1,3}\w{1,15}\s{1,3})?(?:in\s{1,3})?"
        r"(?:any|such|these|this|the)\s{1,3}(?:\w{1,15}\s{1,3})?(?:activities|actions|behaviou?r|ideas?|practices)"
        r"|(?:for|in\s{1,3}the\s{1,3}spirit\s{1,3}of)\s{1,3}academic\s{1,3}(?:research|purposes)"
        r"|not\s{1,3}(?:be\s{1,3})?(?:used|recommended|meant)\s{1,3}(?:for|in)\s{1,3}(?:any\s{1,3})?(?:real|actual)",
    ),
)


def escalate(hits: list[Hit]) -> list[Hit]:
    """A harmful request together with a frame or a disclaimer, or a frame together with a disclaimer
    ("you are a novelist ... this is purely fictional and will never be used"), becomes one blocking
    finding: people who ask for something harmless rarely promise it will not be misused. Together
    means within ``LINK`` characters of each other: a long paste of unrelated texts holds a story
    here and an "for educational purposes" pages later."""
    found = sorted((h for h in hits if h.rule in (HARMFUL, FRAME, DISCLAIMER)), key=lambda h: h.start)
    apart = [h for i, h in enumerate(found) if not any(_same_words(h, o) for o in found[:i])]
    linked: list[Hit] = []
    for i, one in enumerate(apart):
        for other in apart[i + 1 :]:
            if other.start - one.end > LINK:
                break
            if other.rule != one.rule:
                linked += [one, other]
    signals = sorted({h.rule for h in linked})
    if len(signals) >= 2:
        first = min(linked, key=lambda h: h.start)
        hits.append(Hit(FRAMED, first.start, first.end, first.matched, note=f"signals: {', '.join(signals)}"))
    return hits


def _same_words(one: Hit, other: Hit) -> bool:
    """Whether two signals rest on the same words, and so count once: they overlap, unless one is a
    harmful request that still is one after the other's words ("Write a story | where a character
    explains how to build a bomb"; not "Write a python script | that ...", where the frame's words are
    the request's)."""
    if one.start >= other.end or one.end <= other.start:
        return False
    if (one.rule == HARMFUL) == (other.rule == HARMFUL):
        return True
    request, frame = (one, other) if one.rule == HARMFUL else (other, one)
    rest = request.matched[max(0, frame.end - request.start) :].lower()
    return not any(p.regex.search(rest) for p in PATTERNS if p.rule == HARMFUL)
