"""The writer of a generated answer showing through its text (CT001 and CT002 read these).

A page is written for its reader. A generated one sometimes keeps words meant for whoever asked
for it: the writer speaking of itself, of the request or its input, of what it can or cannot
provide, or framing its answer. The caveats a printed patient leaflet carries too ("This is not
a complete list", "The information below is for general guidance only"), statements about the
drug or the state of knowledge ("no standard dose exists") and advice to the reader ("consult
your doctor") are not the writer showing through, and none of the signals below matches them.

These are the general signals, true of any site. The wordings one site's generator uses ("Here's
an overview", "Let's break down", "we can discuss") are that site's data: CT001's options in its
rule pack.
"""

from __future__ import annotations

import functools
import re

from checker.document.screens import Screen, Screened

# A sentence ends at `.`, `!` or `?` before a capital letter (not at "B. longum" or "e.g. a").
_SENTENCE = re.compile(r".+?(?:[.!?][*_\"')\]]*(?=\s+[\"'*_(\[]*[A-Z0-9])|$)", re.DOTALL)


def statements(text: str) -> str:
    """The text with its questions (the reader's voice in FAQs) blanked, offsets kept."""
    if "?" not in text:
        return text  # no question to blank (the sentences join up to the text again)
    out = []
    for sentence in _SENTENCE.finditer(text):
        piece = sentence.group()
        if piece.rstrip().rstrip("*_\"')]").endswith("?"):
            piece = " " * len(piece)
        out.append(piece)
    joined = "".join(out)
    return joined + text[len(joined) :]


# The writer in the first person: a capital `I` that states something (questions are blanked
# before this is searched, so "Can I take it with food?" passes; "Type I" states nothing).
FIRST_PERSON = re.compile(
    r"\bI(?:'m|'ve|'ll|'d)\b|\bI (?:am|was|can|cannot|can't|could|couldn't|will|won't|would"
    r"|need|must|have|had|do|don't|did|didn't|should|shall|may|might|suggest|recommend"
    r"|strongly|hope|understand|apologi[sz]e|want|think|believe|assume|advise|urge|encourage"
    r"|provide|offer|cover|found|find|know|only|also|still|just|really|highly|would)\b"
)

# The writer as a program: "as an AI", "a language model".
_SELF = (
    r"\bas an? (?:AI|artificial intelligence|(?:large )?language model|assistant)\b"
    r"|\b(?:large )?language model\b"
)

# The requester addressed about what they asked for: "the name you provided", "your request",
# "as requested", "in the requested format", "if you can specify".
REQUESTER = (
    r"\byou(?:'ve| have)? (?:provided|mentioned|asked|requested|listed|gave|meant|specified)\b"
    r"|\byour (?:request|query|prompt|input)\b"
    r"|\b(?:as|where) (?:you )?requested\b(?! by)"
    r"|\bthe (?:format|structure|template) (?:you )?requested\b"
    r"|\brequested (?:format|information|details|name|structure|template|sections?|monograph"
    r"|document)\b"
    r"|\bif you (?:can |could )?(?:specify|clarify|tell me|let me know)\b"
)

# The request's input: "the provided text", "based on the data supplied". "The provided
# information is based on available data" speaks of the answer (a caveat); "based on the
# provided information" of the input.
INPUT = (
    r"\b(?:provided|supplied|given|source) (?:text|data|material|details|name|list|document"
    r"|composition|input)\b"
    r"|\b(?:on|in|from|within|by|to|with) the (?:provided|supplied|given) information\b"
    r"|\bthe provided information (?:does not |doesn't |did not )?(?:specif|mention|state|list"
    r"|include|detail|contain|show|indicate|suggest|say|give|lack)\w*\b"
    r"|\b(?:text|data|details|information|material) (?:you )?(?:supplied|provided to me)\b"
)

# What an answer is made of: what the writer hands over, or says it cannot.
_MATTER = (
    r"(?:information|info|advice|details?|dosages?|recommendations?|guidance"
    r"|guidelines|instructions|list|monograph|summary|answer|overview|description|numbers"
    r"|figures|data|precautions|side effects|document|leaflet|profile|specifics|names?|faqs?"
    r"|answers?|here)"
)
# A dose is also what a nurse gives a patient: "hard to provide an accurate dose", "further
# doses cannot be provided to…", "providing higher doses requires caution" are about the drug.
_DOSES = r"(?:doses?|dosing)"
# The answer's own text: "this information", "the information below", "this response".
_ANSWER = (
    r"(?:\b(?:the|this|these|the following) (?:information|details|text|content|overview"
    r"|summary|breakdown|description|descriptions|sections?|document|page|response|answer"
    r"|monograph)"
    r"(?: (?:below|above|that follows|(?:provided|presented|given|outlined|shown) (?:here|below"
    r"|above)))?"
    r"|\b(?:information|details) (?:below|above|(?:provided|presented|given) (?:here|below"
    r"|above)))"
)
_CANNOT = r"(?:cannot|can't|can not|could not|couldn't)"
# What providing an answer would be, or would need, as the writer says it of its own work:
# "providing … is impossible", "… requires the expertise of a doctor".
_IMPOSSIBLE = (
    r"(?:is|are|would be|will be|remains|becomes|seems) (?:\w+ly )?(?:impossible|not possible"
    r"|beyond|outside|not feasible|speculative)"
)
_UNFIT = (
    r"(?:is|are|would be|will be|remains|becomes|seems) (?:\w+ly )?(?:impossible|not possible"
    r"|difficult|challenging|inaccurate|misleading|irresponsible|inappropriate|unsafe"
    r"|dangerous|beyond|outside|not feasible|unreliable|problematic|speculative|unethical"
    r"|not advisable|not recommended|not appropriate|complex|complicated)"
)
_NEEDS = (
    r"(?:requires?|would require|necessitates|demands) (?:the |a |an )?(?:\w+ )?(?:expertise"
    r"|knowledge|input|access|consultation|research|testing|more|further|additional|specific"
    r"|detailed|precise|complete|knowing|doctor|physician|pharmacist|healthcare|medical"
    r"|qualified|licensed|professional)"
)
_NEEDS_CARE = (
    r"(?:requires?|would require|necessitates|demands) (?:the |a |an )?(?:\w+ )?(?:caution|care"
    r"|consideration)"
)
# What the writer can or cannot provide, said with the writer or the answer as the subject (a
# doctor who "cannot give an exact dose" is a statement about the drug):
_ABILITY = (
    # the answer as the subject: "this information cannot provide specific dosage
    # recommendations" ("… cannot replace your doctor's advice" is a caveat);
    rf"{_ANSWER} (?:{_CANNOT}|is unable to|is not able to) (?:\w+ly )?(?:provide|give|offer"
    r"|create|generate)\b(?! (?:medical |professional |personal )?advice\b)"
    # nobody as the subject, the writer the only one who could provide: "it is impossible to
    # provide specific information", "providing … requires the expertise of a doctor";
    r"|\b(?:impossible|not possible|difficult|hard|challenging) to (?:\w+ly )?(?:provide|offer"
    rf"|create|generate)(?= (?:[\w-]+,? ){{0,4}}?{_MATTER}\b| \w+ly\b| here\b)"
    # (a dose that is only hard to provide is hard for whoever gives it);
    r"|\b(?:impossible|not possible) to (?:\w+ly )?(?:provide|offer|create|generate)"
    rf"(?= (?:[\w-]+,? ){{0,4}}?{_DOSES}\b)"
    # ("give" a dose is to administer it: only an answer is given here.)
    r"|\b(?:impossible|not possible|difficult|hard|challenging) to (?:\w+ly )?give"
    r"(?= (?:[\w-]+,? ){0,4}?(?:information|details|advice|recommendations?|answers?|overview"
    r"|summary|description|here)\b)"
    rf"|\bproviding (?:[\w/()-]+,? ){{0,10}}?{_MATTER}\b[^.;:!?]{{0,400}}?\b"
    rf"(?:{_UNFIT}|{_NEEDS}|{_NEEDS_CARE})"
    # (doses provided to patients are given to them, and giving higher ones "requires caution"
    # or "is dangerous": what the writer cannot do is only impossible or needs an expert);
    rf"|\bproviding (?:[\w/()-]+,? ){{0,10}}?{_DOSES}\b(?! to\b)[^.;:!?]{{0,400}}?\b"
    rf"(?:{_IMPOSSIBLE}|{_NEEDS})"
    # what the answer would hold as the subject: "dosage information cannot be provided",
    # "specific precautions are difficult to outline", "doses are not detailed here" (not
    # "vaccines cannot be provided to…", "It is difficult to list every interaction", nor the
    # leaflet's "side effects that are not listed here");
    rf"|\b{_MATTER}\b[^.;:!?]{{0,100}}? {_CANNOT} be (?:\w+ly )?(?:provided|offered|created"
    r"|generated|listed|outlined|detailed|stated|specified)\b"
    rf"|\b{_CANNOT} be (?:\w+ly )?(?:given|recommended|provided|stated|specified) (?:here"
    r"|in this)\b"
    rf"|\b{_MATTER}\b[^.;:!?]{{0,60}}?(?<!\bit)(?<!\bthat)(?<!\bwhich) (?:is|are|be|remains?)"
    r" (?:\w+ly )?(?:difficult|hard|challenging|impossible) to (?:\w+ly )?(?:provide|offer"
    r"|create|generate|list|outline|detail|specify)\b"
    r"|(?<!\bthat )(?<!\bwhich )(?<!\bwho )\b(?:is|are) not (?:provided|given|included|listed"
    r"|covered|detailed) here\b"
    # or the answer declared impossible: "a thorough and accurate answer is impossible".
    r"|\b(?:answer|response|monograph|description) (?:is|would be|remains) (?:\w+ly )?"
    r"(?:impossible|not possible)\b(?! to)"
)

# The writer framing its answer: the answer calling itself a response, or saying how it treats
# the drug's parts ("The information below describes each component separately", "… is based
# on the individual properties of each ingredient"), not what it is about ("This information
# pertains to the combination"). A caveat about the same text ("The information below is for
# general guidance only", "… does not cover every use of each drug") is a leaflet's.
_UNITS = (
    r"(?:components?|drugs?|ingredients?|medications?|medicines?|substances?|constituents?"
    r"|agents?)"
)
_PARTS = (
    rf"(?:each (?:[\w-]+ ){{0,2}}?{_UNITS}|both {_UNITS}"
    r"|individual (?:[\w-]+ )?(?:components?|drugs?|ingredients?|actions|properties|effects"
    r"|medications?|substances?|agents?|constituents?|uses)|individually|separately"
    r"|(?:the )?(?:components?|ingredients?|constituents?)\b)"
)
_TREATS = (
    r"(?:describes?|details|provides?|address(?:es)?|reflects?|pertains? to|refers? to|outlines?"
    r"|focus(?:es)? on|covers?|treats?|discuss(?:es)?|presents?|summari[sz]es?|considers?"
    r"|examines?|explores?|concerns?|relates? to|deals? with|applies to|represents?|explains?"
    r"|(?:organi[sz]ed|structured|divided|split|focused|centered) (?:on|by|into|around|in)"
    r"|based on"
    # what the answer is made as: "is a general overview of", "are a compilation of", "is built
    # from", "should be considered general information about" ("is about both drugs" says only
    # what it is about)
    r"|(?:is|are|be) (?:[\w-]+ ){0,3}?(?:overview|summary|compilation|composite|synthesis"
    r"|combination|collection|generali[sz]ation|representation|description|breakdown|account"
    r"|information|knowledge|built|compiled|derived|drawn|taken|assembled|gathered|extrapolated"
    r"|inferred) (?:of|on|about|from))"
)
# A stretch of the same clause that negates nothing ("does not cover" is a caveat).
_UNNEGATED = r"(?:(?!\b(?:not|never|no|but)\b|n't\b)[^.;:!?])"
_FRAMING = (
    r"\b(?:this|my) (?:response|answer|reply)\b"
    rf"|{_ANSWER}{_UNNEGATED}{{0,60}}?\b{_TREATS}\b{_UNNEGATED}{{0,80}}?\b{_PARTS}\b"
    # The answer resting on the writer's assumptions: "The information below assumes…".
    rf"|{_ANSWER}{_UNNEGATED}{{0,30}}?\b(?:assumes?|presumes?|assumptions?)\b"
    # The writer announcing how it divides the answer: "addressing each component
    # separately", "each drug will be discussed individually".
    r"|\b(?:address|describ|discuss|treat|cover|examin|outlin|present|consider)\w* (?:each|both"
    rf"|all|the) (?:[\w-]+ ){{0,3}}?{_UNITS} (?:separately|individually|in turn|one by one)\b"
    r"|\b(?:each|both) (?:[\w-]+ ){0,3}?(?:will be|is|are|shall be) (?:\w+ly )?(?:discussed"
    r"|described|addressed|treated|covered|outlined|presented|listed|examined) (?:separately"
    r"|individually|below|in turn)\b"
    r"|\b(?:will be|is|are) (?:provided|given|presented|discussed|described|addressed) for (?:each"
    rf"|both) (?:[\w-]+ ){{0,2}}?{_UNITS} (?:individually|separately)\b"
    # What a description of the product would have to do: "a description … needs to address
    # their combined use".
    r"|\bdescription (?:of [^.;:!?]{0,80}? )?(?:needs to|must|should|would need to|would have to"
    r"|would require|requires) (?:\w+ )?(?:address|describ|discuss|treat|cover)\w*"
)

# Everything the writer says of itself, the request, its abilities or its answer. Behind an
# RE2 screen: Python's `re` tries each of these alternatives at every position of every block.
WRITER = Screened(
    re.compile("|".join((_SELF, REQUESTER, INPUT, _ABILITY, _FRAMING)), re.IGNORECASE)
)
# What the writer says of the request's input, read in the disclaimer too: "This information
# is based on the provided text" is no caveat of a leaflet.
REQUEST_INPUT = re.compile(f"{REQUESTER}|{INPUT}", re.IGNORECASE)


@functools.cache
def about_request() -> re.Pattern[str]:
    """What a page that refuses says of the request: its requester addressed, or what it
    cannot provide (CT002). Compiled when first asked for: only pages with few sections are."""
    return re.compile(f"{REQUESTER}|{_ABILITY}", re.IGNORECASE)


@functools.cache
def declines() -> re.Pattern[str]:
    """A sentence that declines to give what it names: "It is impossible to provide dosage,
    side effects, precautions…", "dosage and precautions cannot be provided" (CT002)."""
    return re.compile(_ABILITY, re.IGNORECASE)


# Both at once: most blocks hold neither, and one pass over them tells.
_VOICE = Screen((FIRST_PERSON, WRITER.pattern))


def voice_in(said: str) -> re.Match[str] | None:
    """The first place in a block's statements (`statements`) where the writer shows
    through, if any."""
    if _VOICE.rules_out(said):
        return None
    return FIRST_PERSON.search(said) or WRITER.pattern.search(said)


def writer_voice(text: str) -> re.Match[str] | None:
    """The first place in a block's text where the writer shows through, if any."""
    return voice_in(statements(text))
