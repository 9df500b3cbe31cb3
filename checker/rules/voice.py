"""The writer of a generated answer showing through its text (CT001 and CT002 read these).

A page is written for its reader. A generated one sometimes keeps words meant for whoever asked
for it: the writer speaking of itself, of the request or its input, of what it can or cannot
provide, or framing its answer. The caveats a printed patient leaflet carries too ("This is not
a complete list", "The information below is for general guidance only"), statements about the
drug or the state of knowledge ("no standard dose exists") and advice to the reader ("consult
your doctor") are not the writer showing through, and none of the patterns below matches them.
"""

from __future__ import annotations

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
# before this is searched, so "Can I take it with food?" passes).
FIRST_PERSON = re.compile(
    r"\bI(?:'m|'ve|'ll|'d)\b|\bI (?:am|was|can|cannot|can't|could|couldn't|will|won't|would"
    r"|need|must|have|had|do|don't|did|didn't|should|shall|may|might|suggest|recommend"
    r"|strongly|hope|understand|apologi[sz]e|want|think|believe|assume|advise|urge|encourage"
    r"|provide|offer|cover|found|find|know|only|also|still|just|really|highly|would)\b"
)

# The writer as a program: "as an AI", "beyond the scope of a language model".
_SELF = (
    r"\bas an? (?:AI|artificial intelligence|language model|large language model|assistant)\b"
    r"|\b(?:large )?language model\b"
    r"|\bbeyond the (?:scope|capabilities|capacity) of (?:this|an?|my) (?:\w+ ){0,2}?"
    r"(?:response|answer|reply|model|assistant|AI|tool|format|summary|overview)\b"
)

# The request and its input: "the provided text", "the data supplied", "as requested", "in the
# requested format", "if you can specify". "The provided information is based on available
# data" speaks of the answer (a caveat); "based on the provided information" of the input.
_INPUT = (
    r"\b(?:provided|supplied|given|source) (?:text|data|material|details|name|list|document"
    r"|composition|input)\b"
    r"|\b(?:on|in|from|within|by|to|with) the (?:provided|supplied|given) information\b"
    r"|\bthe provided information (?:does not |doesn't |did not )?(?:specif|mention|state|list"
    r"|include|detail|contain|show|indicate|suggest|say|give|lack)\w*\b"
    r"|\b(?:text|data|details|information|material) (?:you )?(?:supplied|provided to me)\b"
    r"|\b(?:as|where) (?:you )?requested\b(?! by)"
    r"|\bthe (?:format|structure|template) (?:you )?requested\b"
    r"|\brequested (?:format|information|details|structure"
    r"|template|sections?|monograph|document)\b"
    r"|\bif you (?:can |could )?(?:specify|clarify|tell me|let me know)\b"
    r"|\byou(?:'ve| have)? (?:provided|mentioned|asked|requested|listed|gave|meant|specified)\b"
    r"|\byour (?:request|query|prompt|input)\b"
)
# What the writer can or cannot provide, with or without "I": "this information cannot
# provide specific dosage recommendations", "dosage information cannot be provided", "it is
# impossible to provide…", "providing … requires the expertise of a doctor". A subject that may
# be the drug ("it cannot provide relief", "the dose cannot be given if…") is told apart by
# the object: information, a list, a dose "here".
_ABOUT = (
    r"(?:information|info|advice|details?|dosages?|dosing|doses?|recommendations?|guidance"
    r"|guidelines|instructions|list|monograph|summary|answer|overview|description|numbers"
    r"|figures|data|precautions|side effects|document|profile|specifics|names|faqs?|answers?"
    r"|here)"
)
_ABILITY = (
    # "you cannot give the full dose" is advice to the reader.
    r"(?<!\byou )(?<!\bthey )\b(?:cannot|can't|can not|could not|couldn't|unable to"
    r"|impossible to|not possible to|difficult to|challenging to|hard to) (?:\w+ly )?"
    r"(?:provide|give|offer|list|outline"
    r"|create|generate|fill|detail|specify)\b"
    rf"(?=(?: (?:[\w-]+,? ){{0,4}}?{_ABOUT}\b| \w+ly\b))"
    r"|\b(?:cannot|can't|can not|could not|couldn't) be (?:\w+ly )?(?:provided|listed"
    r"|outlined|created|generated|detailed|stated|specified)\b"
    r"|\b(?:cannot|can't|can not|could not|couldn't) be (?:\w+ly )?(?:given|recommended)"
    r" (?:here|in this)\b"
    r"|\b(?:is|are) not (?:provided|given|included|listed|covered|detailed) here\b"
    # With "it" or the information as the subject nothing else can be meant: "it is impossible
    # to provide…", "a complete list is difficult to provide".
    r"|\b(?:impossible|not possible) to (?:\w+ly )?(?:provide|list|outline|create|generate"
    r"|detail|specify)\b"
    r"|\b(?:is|are|be|remains?) (?:\w+ly )?(?:difficult|hard|challenging) to (?:\w+ly )?"
    r"(?:provide|list|outline|detail|specify)\b"
    # The answer itself declared impossible: "a thorough and accurate answer is impossible".
    r"|\b(?:answer|response|monograph|description) (?:is|would be|remains) (?:\w+ly )?"
    r"(?:impossible|not possible)\b(?! to)"
    rf"|\bproviding (?:[\w/()-]+,? ){{0,10}}?{_ABOUT}\b[^.;:!?]{{0,400}}?\b"
    r"(?:(?:is|are|would be|will be|remains|becomes|seems) (?:\w+ly )?(?:impossible|not possible"
    r"|difficult|challenging|inaccurate|misleading|irresponsible|inappropriate|unsafe"
    r"|dangerous|beyond|outside|not feasible|unreliable|problematic|speculative|unethical"
    r"|not advisable|not recommended|not appropriate|complex|complicated)"
    r"|(?:requires?|would require|necessitates|demands) (?:the |a |an )?(?:\w+ )?(?:expertise"
    r"|knowledge|input|access|consultation|caution|care|consideration|research|testing|more"
    r"|further|additional|specific|detailed|precise|complete|knowing|doctor|physician"
    r"|pharmacist|healthcare|medical|qualified|licensed|professional))"
)

# The writer framing its answer: "Here's an overview", "Let's break down…", "we will discuss",
# "this response", "The information below describes each component separately": how the writer
# divided its answer, not what it is about ("This information pertains to the combination"). A
# caveat about the same text ("The information below is for general guidance only", "This
# section provides general information", "… does not cover every use of each drug") is a
# leaflet's, not a framing.
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
# What the page's text calls itself: "the information below", "this information", "the following
# information", "information presented below".
_ANSWER = (
    r"(?:\b(?:the|this|these|the following) (?:information|details|text|content|overview"
    r"|summary|breakdown|description|descriptions|sections?|document|page|response|monograph)"
    r"(?: (?:below|above|that follows|(?:provided|presented|given|outlined|shown) (?:here|below"
    r"|above)))?"
    r"|\b(?:information|details) (?:below|above|(?:provided|presented|given) (?:here|below"
    r"|above)))"
)
_DESCRIBES = (
    r"(?:describes?|details|provides?|address(?:es)?|reflects?|pertains? to|refers? to|outlines?"
    r"|focus(?:es)? on|covers?|treats?|discuss(?:es)?|presents?|summari[sz]es?|considers?"
    r"|examines?|explores?|concerns?|relates? to|deals? with|applies to|represents?|assumes?"
    r"|explains?|(?:organi[sz]ed|structured|divided|split|focused|centered) (?:on|by|into|around"
    r"|in)|(?:summary|compilation|composite|synthesis|overview|description|breakdown"
    r"|collection) of|based on)"
)
# A stretch of the same clause that negates nothing ("does not cover" is a caveat).
_UNNEGATED = r"(?:(?!\b(?:not|never|no|but)\b|n't\b)[^.;:!?])"
_FRAMING = (
    # "Here's", opening a sentence or clause ("provided here is" is another thing).
    r"(?<!\w )(?<!\w  )\bhere(?:'s| is| are) (?:a |an |the |some )?(?:[\w-]+ ){0,3}?"
    r"(?:overview|summary|breakdown|rundown|outline|look|explanation|description|information"
    r"|details|list|guide|guidelines|points|considerations|facts)\b"
    r"|\blet(?:'s| us)\b"
    r"|\bwe(?:'ll|'ve| will| can| could| shall| need to| must| have to| have| would| should)"
    r" (?:\w+ly )?(?:discuss|provide|look|examine|refer|treat|break|consider|address|explore"
    r"|focus|outline|cover|describe|assume|list|present|summari[sz]e|give|explain|mention|start"
    r"|begin|detail|go through)\b"
    r"|\b(?:this|my) (?:response|answer|reply)\b"
    r"|\bthroughout this (?:description|document|text|information|page)\b"
    r"|\b(?:below|above) (?:is|are) (?:the |an? |some )?(?:information|details|overview"
    r"|summary|breakdown|list)\b"
    # The answer's own text as the subject of a verb of describing, about its parts.
    rf"|{_ANSWER}{_UNNEGATED}{{0,60}}?\b{_DESCRIBES}\b{_UNNEGATED}{{0,80}}?\b{_PARTS}\b"
    # The answer resting on the writer's assumptions: "The information below assumes…".
    rf"|{_ANSWER}{_UNNEGATED}{{0,30}}?\b(?:assumes?|presumes?|assumptions?)\b"
    # What a description would have to do: "a description … needs to address their combined
    # use", "a detailed description would require addressing each component".
    r"|\bdescription (?:of [^.;:!?]{0,80}? )?(?:needs to|must|should|would need to|would have to"
    r"|would require|requires) (?:\w+ )?(?:address|describ|discuss|treat|cover)\w*"
    r"|\bpreface (?:this|the following|my answer)\b"
    # Its parts announced: "addressing each component separately", "each drug will be
    # discussed individually".
    r"|\b(?:address|describ|discuss|treat|cover|examin|outlin|present|consider)\w* (?:each|both"
    rf"|all|the) (?:[\w-]+ ){{0,3}}?{_UNITS} (?:separately|individually|in turn|one by one)\b"
    r"|\b(?:each|both) (?:[\w-]+ ){0,3}?(?:will be|is|are|shall be) (?:\w+ly )?(?:discussed"
    r"|described|addressed|treated|covered|outlined|presented|listed|examined) (?:separately"
    r"|individually|below|in turn)\b"
    r"|\b(?:will be|is|are) (?:provided|given|presented|discussed|described|addressed) for (?:each"
    rf"|both) (?:[\w-]+ ){{0,2}}?{_UNITS} (?:individually|separately)\b"
)

# Everything the writer says of itself, the request, its abilities or its answer. Behind an
# RE2 screen: Python's `re` tries each of these alternatives at every position of every block.
WRITER = Screened(re.compile("|".join((_SELF, _INPUT, _ABILITY, _FRAMING)), re.IGNORECASE))
# What the writer says of the request's input, read in the disclaimer too: "This information
# is based on the provided text" is no caveat of a leaflet.
REQUEST_INPUT = re.compile(_INPUT, re.IGNORECASE)


# Both at once: most blocks hold neither, and one pass over them tells.
_VOICE = Screen((FIRST_PERSON, WRITER.pattern))


def writer_voice(text: str) -> re.Match[str] | None:
    """The first place in a block's statements where the writer shows through, if any."""
    found = statements(text)
    if _VOICE.rules_out(found):
        return None
    return FIRST_PERSON.search(found) or WRITER.search(found)
