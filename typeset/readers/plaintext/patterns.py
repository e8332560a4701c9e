"""What one line of a newspaper page looks like on its own: the importer's vocabulary.

Plain text has lost all typography, but Chinese newspapers write their furniture in a few
fixed forms, and those survive extraction: page credits (版面署名, ``□编辑/杜燕``),
bylines (署名, ``□本报通讯员 马凌峰``), lead-in datelines (电头, ``本报讯 通讯员X报道：``),
photo credits (图片署名, ``X摄``, ``图片由…提供``, ``图/文 …``) and source lines (来源).
Everything else is either a short line without end punctuation (a headline, kicker, deck,
subhead or column label candidate — which one depends on its neighbours) or body text.

These functions look at one string only; deciding by context is :mod:`.articles`' job.
"""

from __future__ import annotations

import re

#: Typographic bullets a paper sets before credits and bylines; not part of any name.
BULLETS = "□■◆◇●○▲△▼★☆◎•"
#: Marks that end a sentence (or introduce what follows, like ：) — a paragraph ends so.
SENTENCE_END = "。！？!?；;…：:"
#: Closing marks that may follow the end of a sentence: 。” 。）.
CLOSING = "”’」』）)》〉】"
_PAIRS = {"”": "“", "’": "‘", "」": "「", "』": "『", "）": "（", ")": "(", "》": "《",
          "〉": "〈", "】": "【"}
#: Characters no Chinese sentence starts with: closing marks, pause marks, particles.
NO_START = CLOSING + "，。、；：？！…,.;:?!的了着过们吗呢吧啊"
#: Characters a paragraph cannot end on: particles, prepositions, conjunctions, openers.
NO_END = "的地得和与及或对把被将从向在于以并而之其等、，,“‘「『（(《〈【"
#: Longest line still read as a headline, kicker, deck or subhead (in characters).
HEADING_MAX = 32

_BULLET = f"[{BULLETS}]"
_HAN = "\u4e00-\u9fff"
#: A personal name: two to six Han characters (Kazakh and Uyghur names transcribed
#: without · run to five or six: 哈力木拉提), or a transcribed name with ·.
NAME = rf"(?:[{_HAN}]{{1,10}}·[{_HAN}·]{{1,16}}|[{_HAN}]{{2,6}})"
_NAME = re.compile(NAME)

#: Editorial roles on a page credit line (版面署名).
PAGE_ROLE = (r"(?:责任编辑|值班编辑|美术编辑|版式设计|版面设计|责编|编辑|美编|版式|设计|组版|"
             r"排版|校对|审校|审读|终审|一审|二审|三审|主编|摄影|制图|统筹|策划|监制)")
_CREDIT_PAIR = re.compile(rf"(?P<role>{PAGE_ROLE})\s*[/／:：|｜]\s*(?P<name>{NAME})")

#: A byline role (署名身份): 本报记者, 特约通讯员, 新华社记者, 本报评论员 …
BYLINE_ROLE = re.compile(
    rf"(?:本报|本台|本刊|新华社|中新社|[{_HAN}]{{2,6}}(?:日报社?|晚报社?|报社|电视台|融媒体中心))?"
    rf"(?:驻[{_HAN}]{{1,6}})?(?:首席|特约|实习|见习|融媒体|全媒体|融媒|摄影)?"
    r"(?:记者|通讯员|评论员|撰稿人)")

#: A lead-in dateline (电头) opening a news story, with the reporters it names.
_DATELINE = re.compile(
    rf"^(?:本报讯|本报[{_HAN}\d]{{1,16}}?讯|[{_HAN}]{{1,10}}社[{_HAN}\d]{{1,16}}?电)"
    r"(?:\s*[（(][^（）()。]{1,60}[）)]|\s*[^，。；：:（(]{1,60}?报道[:：])?")

#: Photo credits (图片署名) around the people who made the photo: X摄, 图/文 X, X 文/图.
_CREDIT_BY_SUFFIX = re.compile(r"(?P<who>.+?)\s*(?:摄影|摄|供图|图\s*[/／]\s*文|文\s*[/／]\s*图)")
_CREDIT_BY_PREFIX = re.compile(r"(?:图\s*[/／]\s*文|文\s*[/／]\s*图|图\s*[:：/／])\s*[:：]?\s*(?P<who>.+)")
_CREDIT_BY_GIVER = re.compile(r"(?:图片|照片)由.{1,30}提供")

_SOURCE = re.compile(r"来源\s*[:：]\s*(?P<source>\S.{0,40})")

#: Words that end a column label (栏目) rather than a kicker.
LABEL_WORDS = ("评论", "观点", "时评", "短评", "言论", "论坛", "杂谈", "随笔", "笔谈", "图片新闻",
               "图说", "图片报道", "新闻图片", "快讯", "简讯", "速递", "动态", "视点", "走基层",
               "专栏", "特写", "之窗", "巡礼")
#: Label words that make an article a commentary (评论).
COMMENTARY_WORDS = ("评", "论", "观点", "言", "杂谈", "随笔", "笔谈")
_LABEL_BRACKETS = "【】[]「」"


def strip_bullet(text: str) -> str:
    """The line without the paper's bullet (□), which is typography, not text."""
    return text.lstrip(BULLETS).strip()


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends like a finished sentence (。 or ？ or ： before closing marks)."""
    core = text.rstrip(CLOSING).rstrip()
    return bool(core) and core[-1] in SENTENCE_END


def is_heading(text: str) -> bool:
    """Short, no full stop anywhere: could be a headline, kicker, deck, subhead or label."""
    core = text.rstrip(CLOSING)
    return (len(text) <= HEADING_MAX and not re.search("[。；;]", text)
            and bool(core) and core[-1] not in "，、：:,")


def unmatched_open(text: str) -> bool:
    """An opening mark (《 “ （) that the line never closes: the sentence goes on."""
    return any(text.count(opener) > text.count(closer) for closer, opener in _PAIRS.items()
               if opener != closer)


def unmatched_close(text: str) -> bool:
    """A closing mark (》 ” ）) before any matching opener: the line continues another."""
    depth = dict.fromkeys(_PAIRS, 0)
    for char in text:
        if char in _PAIRS:
            if depth[char] == 0:
                return True
            depth[char] -= 1
        for closer, opener in _PAIRS.items():
            if char == opener:
                depth[closer] += 1
    return False


def page_credits(text: str) -> list[dict] | None:
    """Role/name pairs if the whole line is page credits (□编辑/杜燕 □版式/张程程)."""
    pairs, position = [], 0
    for match in _CREDIT_PAIR.finditer(text):
        if text[position:match.start()].strip(BULLETS + " "):
            return None
        pairs.append({"role": match["role"], "name": match["name"]})
        position = match.end()
    if not pairs or text[position:].strip(BULLETS + " "):
        return None
    return pairs


def bylines(text: str) -> list[dict] | None:
    """Bylines if the whole line is one: □本报记者 X、Y 通讯员 Z, or □X (bullet + names)."""
    bare = strip_bullet(text)
    people = parse_people(bare)
    if people and (people[0]["role"] or bare != text or BYLINE_ROLE.fullmatch(bare)):
        return people
    return None


def parse_people(text: str) -> list[dict] | None:
    """[{role, names}] for "本报记者 X、Y 通讯员 Z" or bare names; None if not only that."""
    roles = list(BYLINE_ROLE.finditer(text))
    if len(roles) == 1 and roles[0].group() == text.strip():
        return [{"role": "", "names": [text.strip()]}]  # 本报评论员: the role signs alone
    if not roles:
        names = name_list(text)
        return [{"role": "", "names": names}] if names else None
    if text[:roles[0].start()].strip():
        return None
    out = []
    for index, role in enumerate(roles):
        end = roles[index + 1].start() if index + 1 < len(roles) else len(text)
        names = name_list(text[role.end():end])
        if not names:
            return None
        out.append({"role": role.group(), "names": names})
    return out


def name_list(text: str) -> list[str] | None:
    """Names separated by 、 ， or spaces, or None if anything else is there."""
    names = [part for part in re.split(r"[、，,\s]+", text.strip()) if part]
    if names and all(_NAME.fullmatch(name) for name in names):
        return names
    return None


def is_bare_name(text: str) -> bool:
    """A line that is only a person's name (a byline set without role or bullet).

    Only the common lengths (two or three characters, or with ·): a longer line alone is
    more likely a short headline than a name.
    """
    return bool(_NAME.fullmatch(text)) and (len(text) <= 3 or "·" in text)


def split_dateline(text: str) -> tuple[str | None, str]:
    """(dateline, rest of the paragraph): 本报讯 通讯员X报道： opens a news story."""
    match = _DATELINE.match(text)
    if not match:
        return None, text
    return match.group().strip(), text[match.end():].strip()


def photo_credit(text: str) -> str | None:
    """The credit without its bullet if the line is a photo credit (X摄, 图/文 X …).

    Only the form is checked here; a credit counts as one only after a caption, which is
    decided by the caller.
    """
    bare = strip_bullet(text)
    if len(bare) > HEADING_MAX or re.search("[。，；]", bare):
        return None
    if _CREDIT_BY_GIVER.fullmatch(bare):
        return bare
    for form in (_CREDIT_BY_SUFFIX, _CREDIT_BY_PREFIX):
        match = form.fullmatch(bare)
        if match and parse_people(match["who"].strip()):
            return bare
    return None


def source(text: str) -> str | None:
    """The source of a reprint (来源：中国组织人事报), or None."""
    match = _SOURCE.fullmatch(strip_bullet(text))
    return match["source"].strip() if match else None


def column_label(text: str) -> str | None:
    """The label if the line is a column label (栏目: 评论观点, 【图片新闻】)."""
    bare = text.strip(_LABEL_BRACKETS + BULLETS + " ")
    if len(bare) > 8 or re.search(r"[\s，。：、]", bare):
        return None
    bracketed = text[:1] in _LABEL_BRACKETS
    return bare if bracketed or bare.endswith(LABEL_WORDS) else None


def is_commentary_label(label: str) -> bool:
    return any(word in label for word in COMMENTARY_WORDS)
