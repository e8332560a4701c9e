"""One line of look-ahead for justified Chinese text: break a line a character early
when that spares the next line a loose setting.

Greedy breaking fills each line as far as it goes. When what follows cannot open the
next line short of a wide unit (a number, a quotation mark with its word, a pair of
marks), that next line ends a whole em or more short and its justification puts
1/8 em or more between characters: text extractors (pdfium, pdftotext) read such gaps
as spaces, and readers see a loose line. Moving the last character of a line to the
next gives that line one more character to set: the loose line fills, and the line
that gave the character up spreads one em over twelve gaps or so, which is tight.

Each line is broken once, as before: the look-ahead's setting of the next line is kept
and handed back when WeasyPrint asks for that line (:data:`_ahead`). The pass only runs
for justified text at the start of a line, where the next line's width is this one's
(plus the text indent, after a paragraph's first line).
"""

from __future__ import annotations

import math

from weasyprint.text import line_break

from typeset.cjk import rules

#: Stretch per share of a line (in em) above which the look-ahead tries to help: the
#: gap pdfium starts to read as a space is a little over 1/8 em.
LOOSE_EM = 0.12

_ahead: dict[tuple, tuple] = {}


def split(split_one, take_next, text, style, context, max_width, justification_spacing,
          is_line_start, minimum):
    """``split_one(text, …)`` for this line, looking one line ahead (see above).

    ``take_next(result, text, …)`` is the line with the next unit pulled in by
    squeezing its marks, or None.
    """
    key = _key(text, style, max_width, justification_spacing, is_line_start, minimum)
    result = _ahead.pop(key, None) or split_one(text, style, context, max_width,
                                                justification_spacing, is_line_start,
                                                minimum)
    if (minimum or not is_line_start or result[2] is None or result[1] <= 0
            or style["text_align_all"] != "justify"):
        return result
    after = _rest(text, result)
    if not after.strip():
        return result
    width = max_width + (getattr(context, "cjk_text_indent", 0) or 0)  # the next line's
    following = split_one(after, style, context, width, justification_spacing, True, False)
    chosen, next_text, next_result = result, after, following
    if _looseness(after, following, width, style) > LOOSE_EM:
        for make in (lambda: take_next(result, text, style, context, max_width,
                                       justification_spacing),
                     lambda: _give_last(text, result, 1, style, justification_spacing,
                                        max_width),
                     lambda: _give_last(text, result, 2, style, justification_spacing,
                                        max_width)):
            other = make()
            if other is None:
                continue
            later = _rest(text, other)
            instead = split_one(later, style, context, width, justification_spacing,
                                True, False) if later.strip() else None
            if max(_looseness(text, other, max_width, style),
                   _looseness(later, instead, width, style) if instead else 0.0) \
                    <= LOOSE_EM:
                chosen, next_text, next_result = other, later, instead
                break
    if len(_ahead) > 4096:
        _ahead.clear()  # look-aheads of lines that were never asked for (other widths)
    if next_result is not None:
        _ahead[_key(next_text, style, width, justification_spacing, True, False)] = \
            next_result
    return chosen


def forget() -> None:
    """Drop the look-aheads kept: a new document has its own lines and styles."""
    _ahead.clear()


def _key(text, style, max_width, justification_spacing, is_line_start, minimum):
    return (text, round(max_width, 4), justification_spacing, is_line_start, minimum,
            style["text_align_all"]) + style_key(style)


def style_key(style) -> tuple:
    """What of a computed style sets a text's widths (styles themselves are not
    hashable, and the id of a freed one may come back for another).

    Kept on the style object: the line breaker asks for it a few times per line, and
    reading eighteen properties computed some that nothing else needs."""
    key = getattr(style, "typeset_text_key", None)
    if key is None:
        key = style.typeset_text_key = (
            tuple(style["font_family"]), style["font_size"], style["font_weight"],
            style["font_style"], style["font_stretch"], style["lang"],
            style["letter_spacing"], style["word_spacing"], str(style["line_height"]),
            style["white_space"], style["word_break"], style["overflow_wrap"],
            str(style["font_feature_settings"]), str(style["font_variant_east_asian"]),
            str(style["font_variant_numeric"]), str(style["font_variant_ligatures"]),
            str(style["font_kerning"]), str(style["hyphens"]))
    return key


def _rest(text: str, result) -> str:
    return text.encode()[result[2]:].decode()


def _looseness(text: str, result, max_width: float, style) -> float:
    """Stretch per justification share of the line ``result`` sets, in em."""
    if result[2] is None or result[1] <= 0:
        return 0.0  # a paragraph's last line is not justified
    line = text.encode()[:result[1]].decode()
    shares = sum(rules.justification_weights(line))
    extra = max(0.0, max_width - result[3])
    if extra > 0.01 and _ends_full_width(line, result[0]):
        extra += style["font_size"] / 2  # a stretched line's last mark gives up its half
    return extra / shares / style["font_size"] if shares else (math.inf if extra else 0.0)


def _ends_full_width(line: str, layout) -> bool:
    """Whether ``line`` ends with a closing mark or pause still set full-width (which
    :func:`typeset.weasy.squeeze.half_when_stretched` halves on a stretched line)."""
    index = len(line.rstrip("".join(rules.INVISIBLE))) - 1
    return (index >= 0 and line[index] in rules.RIGHT_BLANK
            and index not in (getattr(layout, "cjk_squeeze", None) or ())
            and index not in rules.halt_pairs(line))


def _give_last(text: str, result, count: int, style, justification_spacing, max_width):
    """The line without its last ``count`` Han characters, if a break may fall before
    them: all of them and the one before Han (UAX #14 breaks between ideographs) and no
    joiner among them (ORP-1 glues a paragraph's last character)."""
    line = text.encode()[:result[1]].decode()
    core = line.rstrip("".join(rules.INVISIBLE))
    if len(core) < count + 2 or not all(rules.is_han(c) for c in core[-count - 1:]):
        return None
    kept = core[:-count]
    layout = line_break.Layout(style, justification_spacing)
    layout.set_text(kept)
    first, _ = layout.get_first_line()
    width, _ = line_break.line_size(first, style)
    layout.deactivate()
    if width > max_width + 0.01:
        return None
    length = len(kept.encode())
    return (layout, length, length, width) + tuple(result[4:])
