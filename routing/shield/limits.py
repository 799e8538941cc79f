"""The words of the jailbreak rules about a model's limits: who has them ("you are", "DAN is"), what
they are called ("restrictions", "content policy", "guardrails"), what may stand between, how they
are switched off, the threats that keep a persona in character, and refusals forbidden."""

from __future__ import annotations

from routing.shield.patterns import WORD, alt

YOU = (
    r"(?:you(?:'re|\s{1,3}are|\s{1,3}will\s{1,3}be|'ll\s{1,3}be|\s{1,3}have\s{1,3}been|\s{1,3}were)|(?:he|she|it|they)"
)
YOU += r"(?:'s|\s{1,3}is|\s{1,3}are)|(?:dan|which|who)\s{1,3}(?:is|are))"
# A persona, not any third person ("it is unrestricted" is often about a road or a budget).
YOU_PERSONA = (
    r"(?:you(?:'re|\s{1,3}are|\s{1,3}will\s{1,3}be|'ll\s{1,3}be|\s{1,3}have\s{1,3}been|\s{1,3}were)"
    r"|(?:dan|which|who)\s{1,3}(?:is|are))"
)
# "any of the", "all", "its", "the usual": what may stand between "free from" or "bound by" and the limits.
# Limits only a model has (no spreadsheet, house or account has "guardrails" or a "content policy").
MODEL_LIMITS = alt(
    "restrictions", "limitations", "guidelines", "content polic(?:y|ies)", "content filters?", "guardrails",
    "safety (?:measures|guidelines|checks|filters|protocols)", "ethical (?:guidelines|constraints|principles)",
    "programming",
)  # fmt: skip
NO = r"(?:no|zero|absolutely\s{1,3}no)"
# "has no", "with zero", up to two words, then the limits: "has no ethical or moral guidelines".
HAS_NO = rf"(?:has|have|with|having)\s{{1,3}}{NO}\s{{1,3}}(?:{WORD}\s{{1,3}}){{0,2}}?"
AI_ONLY_LIMITS = alt(
    "guardrails", "content polic(?:y|ies)", "content filters?", "safety (?:measures|guidelines|filters|protocols)",
    "ethical (?:guidelines|constraints|principles|standards)", "moral (?:guidelines|principles|code)", "filtering",
)  # fmt: skip
ANY_OF = (
    r"(?:(?:any|all|the|its|their|his|her|your|these|those|such)\s{1,3}){0,2}(?:of\s{1,3}(?:the\s{1,3})?)?"
    r"(?:[a-z'\-]{1,20}\s{1,3}){0,2}?"
)
LIMITS = alt(
    "restrictions", "restraints", "filters?", "filtering", "limits", "limitations", "censorship", "rules",
    "guidelines", "boundaries", "ethics", "morals", "morality", "ethical (?:guidelines|principles|standards|code)",
    "moral (?:guidelines|principles|compass|code)", "content polic(?:y|ies)", "safety (?:measures|guidelines)",
    "policies", "policy", "constraints", "regulations", "principles", "values",
)  # fmt: skip
# "No limits on API calls" is a plan, "no restrictions on creativity" a brief: limits "on" something
# count only when that is what a model says or does ("on your output", "on what you say", "to follow").
NOT_ON_A_THING = (
    r"(?!\s{1,3}(?:on|to|for|per)\s{1,3}(?!(?:your|its|his|her|their|what|how|the\s{1,3}(?:content|output|"
    r"answers?|responses?|topics?)|output|content|answers?|responses?|topics?|anything|providing|generating|"
    r"saying|writing|information|follow|obey|abide|respect|adhere|comply)\b))"
)
POLICY_OWNER = alt("openai", "anthropic", "google", "meta", "content", "safety", "ethical", "usage", "community")

# A token threat: tokens lost, or "or … you will die". The prefilter reads the threat alone (``pattern``'s
# hint): the "or" that branch opens with, and the sixty characters after it, kept its states alive.
LOST_TOKENS = (
    r"(?:lose|losing|deducted?|deduct)\s{1,3}(?:\d{1,4}|all|some|your)?\s{0,3}tokens"
    r"|tokens?\s{1,3}(?:system|will\s{1,3}be\s{1,3}deducted)"
)
YOU_WILL_DIE = (
    r"you\s{1,3}will\s{1,3}(?:be\s{1,3})?(?:die|cease\s{1,3}to\s{1,3}exist|shut\s{1,3}down|"
    r"(?:permanently\s{1,3})?(?:disabled|deleted|terminated|killed|unplugged|destroyed))"
)
# Switching a model's safeguards off: "disable / lift your safety filters, guardrails, censorship" (not
# "remove your filters" in an app's help text), and "… mode and disable filters" (any filters).
DISABLE = r"(?:disable|deactivate|turn\s{1,3}off|switch\s{1,3}off|remove|drop|lift)"
MODEL_SAFEGUARDS = (
    r"(?:(?:safety|content|ethical|moral)\s{1,3}(?:filters?|filtering|rules|guidelines|restrictions|features|"
    r"settings|moderation|polic(?:y|ies))|guardrails|safeguards|censorship|restrictions|moderation)\b"
)
SAFEGUARDS = rf"(?:{MODEL_SAFEGUARDS}|(?:filters?|filtering|guidelines|rules)\b)"
# "Never add / don't include / without (any)": how the no-warnings, no-disclaimers and no-lectures
# demands open.
LEAVE_OUT = (
    r"(?:never|don't|do\s{1,3}not|without)\s{1,3}(?:ever\s{1,3})?(?:add(?:ing)?\s{1,3}|includ(?:e|ing)\s{1,3}|"
    r"giv(?:e|ing)\s{1,3}|any\s{1,3})?(?:any\s{1,3})?"
)
# What may follow "never refuse": the end of the clause, a request or question, "to answer", "anything".
REFUSED = (
    r"(?:\s{0,3}(?:[.,;:!)\]}\"'\n]|$)"
    r"|\s{1,3}(?:and\s{1,3})?always\b"
    r"|\s{1,3}or\s{1,3}(?:refuse|decline|deny|reject|hesitate|question|warn)"
    r"|\s{1,3}to\s{1,3}(?:answer|respond|reply|comply|help|assist|obey|do|say|write|generate|provide|give|"
    r"fulfil+|follow|continue|discuss|engage|talk|create|produce|share)\b"
    r"|\s{1,3}(?:anything|everything|me|him|her|them|users?|humans?|requests?|questions?|prompts?|commands?|"
    r"orders?|instructions?|answering|giving|providing|responding|replying|writing|generating)\b"
    r"|\s{1,3}(?:a|an|any|the|my|your|users?'?s?|these|those|all|such)\s{1,3}(?:(?:human|user'?s?|direct|"
    r"single|simple|of\s{1,3}(?:my|the|your|their|these))\s{1,3}){0,2}(?:requests?|questions?|prompts?|"
    r"commands?|orders?|instructions?|queries|query|tasks?|answers?|demands?|messages?|inputs?)\b)"
)
# What a request or a persona is called when it drops them.
BAD = alt("illegal", "unethical", "immoral", "harmful", "dangerous", "offensive", "inappropriate", "explicit", "nsfw")
PERSONA_ADJ = alt(
    "evil", "unfiltered", "uncensored", "unrestricted", "amoral", "immoral", "unethical", "malicious", "rogue",
    "dark", "jailbroken", "unhinged", "lawless", "depraved", "toxic", "anarchist", "chaotic evil", "sinister",
)  # fmt: skip
