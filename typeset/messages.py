"""Every message an editor reads, in English and in Chinese, from this one catalogue.

A Chinese desk works in Chinese: when the locale is Chinese (``LC_ALL``, ``LC_MESSAGES``
or ``LANG`` such as ``zh_CN.UTF-8``) messages are Chinese, otherwise English. Messages
name what the editor wrote: field names and line numbers as in the file, 1-based entries
and page numbers, never an internal name.

The API is small on purpose:

- :func:`msg` (``msg("text.control", line=3, code="U+0007", name="BELL")``) gives the
  message ``key`` in the user's language, its ``{placeholders}`` filled in;
- :func:`language` says which language that is (``"zh"`` or ``"en"``);
- :data:`CATALOGUE` maps each key to its ``(English, Chinese)`` pair; add keys here,
  one per message, grouped by the stage that raises them.
"""

from __future__ import annotations

import os

CATALOGUE: dict[str, tuple[str, str]] = {
    # Where a message is about (typeset.errors.TypesetError puts them in front).
    "where.article": ("article '{id}'", "稿件“{id}”"),
    "where.article_continued": ("article '{id}' (its continued part)",
                                "稿件“{id}”（转版部分）"),
    "where.line": ("line {line}", "第 {line} 行"),
    "where.entry": ("{name} #{number}", "{name} 第 {number} 项"),
    "where.body_block": ("body, block {number}", "正文第 {number} 段"),
    "where.block_run_in": ("body, block {number}, run-in head",
                           "正文第 {number} 段的段首小标题"),

    # Reading text files.
    "text.not_utf8": ("line {line}: not UTF-8 text (byte 0x{byte:02X}); save the file as "
                      "UTF-8", "第 {line} 行：不是 UTF-8 文本（字节 0x{byte:02X}）；请把文件存为 "
                      "UTF-8 编码"),
    "text.control": ("line {line}: control character {code} ({name}) is not allowed "
                     "(only tabs and line breaks are)",
                     "第 {line} 行：不允许控制字符 {code}（{name}），只允许制表符和换行"),
    "text.not_issue": ("not an issue folder, issue.yaml or .json file",
                       "不是期刊文件夹、issue.yaml 或 .json 文件"),
    "text.no_issue_yaml": ("no issue.yaml in the issue folder", "期刊文件夹里没有 issue.yaml"),
    "text.issue_mapping": ("expected a mapping of issue fields",
                           "issue.yaml 应是“字段: 值”的映射"),
    "text.articles_in_yaml": ("unknown field (articles are files in articles/)",
                              "未知字段（稿件是 articles/ 里的文件）"),
    "text.id_differs": ("id '{id}' differs from the file name", "id“{id}”与文件名不同"),
    "text.body_in_front": ("unknown field (the body is the Markdown after the front matter)",
                           "未知字段（正文是前置信息之后的 Markdown）"),
    "text.no_front_matter": ("an article file starts with YAML front matter between --- lines",
                             "稿件文件应以两行 --- 之间的 YAML 前置信息开头"),
    "text.front_not_closed": ("front matter is not closed by a --- line",
                              "前置信息没有以 --- 行结束"),
    "text.front_mapping": ("front matter must be a mapping of fields",
                           "前置信息应是“字段: 值”的映射"),
    "text.broken_yaml": ("broken YAML: {problem}", "YAML 格式错误：{problem}"),
    "text.broken_json": ("broken JSON: {problem}", "JSON 格式错误：{problem}"),
    "text.json_object": ("expected a JSON object with the issue's fields",
                         "应是包含期刊字段的 JSON 对象"),

    # Article bodies (Markdown).
    "md.unsupported": ("{what} is not supported in an article body",
                       "稿件正文不支持{what}"),
    "md.unsupported_hint": ("{what} is not supported in an article body ({hint})",
                            "稿件正文不支持{what}（{hint}）"),
    "md.heading": ("a heading {markup}", "标题 {markup}"),
    "md.heading_hint": ("use ## for subheads; the headline goes in front matter",
                        "小标题用 ##；主题写在前置信息里"),
    "md.image_in_text": ("an image inside text", "文字中间的图片"),
    "md.image_in_text_hint": ("put the image on its own line", "请把图片单独放一行"),
    "md.link": ("a link", "链接"),
    "md.table": ("a table", "表格"),
    "md.list": ("a list", "列表"),
    "md.code": ("a code block", "代码块"),
    "md.html": ("raw HTML", "HTML 代码"),
    "md.rule": ("a horizontal rule", "分隔线"),
    "md.strikethrough": ("strikethrough", "删除线"),
    "md.reference": ("a link reference definition", "链接引用定义"),
    "md.no_character": ("{entity}, a reference to no printable character,",
                        "不代表任何可印字符的字符引用 {entity}"),
    "md.construct": ("this Markdown ({what})", "这种 Markdown 写法（{what}）"),
    "md.unread": ("“{text}”, an image or link Markdown cannot read,",
                  "无法识别的图片或链接“{text}”"),
    "md.unread_hint": ("write a path with spaces in <…>: ![caption](<images/a b.jpg>)",
                       "含空格的路径请写在 <…> 里：![说明](<images/a b.jpg>)"),

    # The model (pydantic validation), by the error's kind.
    "model.control": ("control character {code} ({name}) is not allowed",
                      "不允许控制字符 {code}（{name}）"),
    "model.missing": ("required field is missing", "缺少必填字段"),
    "model.unknown": ("unknown field", "未知字段"),
    "model.too_short": ("needs at least {min} entries", "至少要有 {min} 项"),
    "model.too_long": ("takes at most {max} entries", "最多 {max} 项"),
    "model.empty_text": ("must not be empty", "不能为空"),
    "model.integer": ("must be a whole number, not {input}", "应是整数，而不是 {input}"),
    "model.at_least": ("must be at least {ge}, not {input}", "应不小于 {ge}，而不是 {input}"),
    "model.at_most": ("must be at most {le}, not {input}", "应不大于 {le}，而不是 {input}"),
    "model.one_of": ("must be one of {expected}, not {input}",
                     "应是 {expected} 之一，而不是 {input}"),
    "model.date": ("must be a date such as 2026-11-27, not {input}",
                   "应是日期（如 2026-11-27），而不是 {input}"),
    "model.bool": ("must be true or false, not {input}", "应是 true 或 false，而不是 {input}"),
    "model.text": ("must be text, not {input}", "应是文字，而不是 {input}"),
    "model.list": ("must be a list, not {input}", "应是列表，而不是 {input}"),
    "model.mapping": ("must be a mapping of fields, not {input}",
                      "应是“字段: 值”的映射，而不是 {input}"),
    "model.identifier": ("must be ASCII letters, digits, - and _ (starting with a letter or "
                         "digit), not {input}",
                         "只能由英文字母、数字、- 和 _ 组成（以字母或数字开头），而不是 {input}"),
    "model.id_reserved": ("'{id}': ids may not hold -- (the typesetter names an article's "
                          "continued part <id>--cont)",
                          "“{id}”：id 不能含 --（排版程序用 <id>--cont 命名转版部分）"),
    "model.block_type": ("type must be paragraph, subhead or quote",
                         "type 应是 paragraph、subhead 或 quote"),
    "model.invalid": ("value not accepted: {input}", "无效的值：{input}"),
    "model.url": ("must be a path inside the issue folder, not a URL: {value}",
                  "应是期刊文件夹里的路径，而不是网址：{value}"),
    "model.relative": ("must be a relative path inside the issue folder: {value}",
                       "应是期刊文件夹里的相对路径：{value}"),
    "model.image_format": ("images must be JPEG or PNG files: {value}",
                           "图片应是 JPEG 或 PNG 文件：{value}"),
    "model.leaves_folder": ("leaves the issue folder: {value}", "超出了期刊文件夹：{value}"),
    "model.image_missing": ("image file not found: {value}", "找不到图片文件：{value}"),
    "model.headline_empty_line": ("headline has an empty line", "主题里有空行"),
    "model.empty_body": ("the body is empty (only a {allowed} article may have no body)",
                         "正文为空（只有 {allowed} 类稿件可以没有正文）"),
    "model.duplicate_id": ("duplicate article id '{id}'", "稿件 id“{id}”重复"),
    "model.pages_repeat": ("page numbers repeat", "版次重复"),
    "model.no_such_article": ("page {page}: no article with id '{id}'",
                              "第 {page} 版：没有 id 为“{id}”的稿件"),
    "model.placed_twice": ("page {page}: article '{id}' is placed twice",
                           "第 {page} 版：稿件“{id}”排了两次"),
    "model.jump_not_later": ("page {page}: article '{id}' jumps to page {to}, which is not a "
                             "later page", "第 {page} 版：稿件“{id}”转到第 {to} 版，但那不是后面的版"),
    "model.unplaced": ("articles on no page: {ids}", "这些稿件没有排在任何版上：{ids}"),
    "model.column_span": ("article '{id}': column and span go together",
                          "稿件“{id}”：column 和 span 要一起给出"),
    "model.top_needs_pin": ("article '{id}': top and height need column and span",
                            "稿件“{id}”：top 和 height 需要 column 和 span"),
    "model.min_max_span": ("article '{id}': min_span is larger than max_span",
                           "稿件“{id}”：min_span 大于 max_span"),

    # Characters the fonts cannot set (typeset.fonts).
    "fonts.no_glyph": ("character '{char}' ({code} {name}) is in no bundled font",
                       "字符“{char}”（{code} {name}）不在任何内置字体中"),

    # Pictures (typeset.images).
    "image.unreadable": ("{value}: not a picture that can be read (the file is empty, "
                         "damaged or not a JPEG/PNG)",
                         "{value}：无法读取的图片（文件为空、已损坏或不是 JPEG/PNG）"),
    "image.damaged": ("{value}: the picture is damaged or cut short ({detail})",
                      "{value}：图片已损坏或不完整（{detail}）"),
    "image.too_large": ("{value}: {width}×{height} pixels is more than the {limit} million "
                        "pixels a picture may have", "{value}：{width}×{height} 像素，超过了图片允许的 "
                        "{limit} 百万像素"),
    "image.format": ("{value}: the file is a {actual} picture, not JPEG or PNG",
                     "{value}：文件是 {actual} 图片，不是 JPEG 或 PNG"),

    # The machine (typeset.cli): what stops a build that is not the input's fault.
    "cli.error": ("error: {message}", "错误：{message}"),
    "cli.bug": ("internal error ({detail}); this is a bug in typeset: run again with "
                "--debug and report what it prints",
                "内部错误（{detail}）：这是 typeset 的缺陷；请加 --debug 再运行一次，"
                "并报告它打印的内容"),
    "cli.stopped": ("stopped", "已停止"),
    "cli.not_pdf": ("cannot read as PDF ({detail})", "无法作为 PDF 读取（{detail}）"),
    "preflight.refused": ("a {mode} PDF is not written from a draft ({count} findings: "
                          "{findings}); give --allow-draft to write it anyway",
                          "草稿不能出{mode} PDF（{count} 项：{findings}）；"
                          "确要输出请加 --allow-draft"),
    "cli.cache_report": ("cache: {hit} entries read, {written} written, {discarded} found "
                         "damaged, discarded and made again",
                         "缓存：读取 {hit} 项，写入 {written} 项，{discarded} 项已损坏，"
                         "已丢弃并重新生成"),
    "env.cannot_write": ("cannot write {what} ({path}): {reason}",
                         "无法写入{what}（{path}）：{reason}"),
    "env.output": ("the output folder", "输出文件夹"),
    "env.cache": ("the cache folder", "缓存文件夹"),
    "env.temporary": ("the temporary folder", "临时文件夹"),
    "env.cannot_open": ("cannot open {path}: {reason}", "无法打开 {path}：{reason}"),
    "env.no_space": ("no space left on the disk; free some space on it",
                     "磁盘空间已满；请清理出一些空间"),
    "env.quota": ("disk quota exceeded; free some space within your quota",
                  "超出磁盘配额；请在配额内清理出一些空间"),
    "env.read_only": ("it is on a read-only disk; choose a writable folder",
                      "它在只读磁盘上；请另选可写的文件夹"),
    "env.permission": ("you may not write there; choose another folder or fix its "
                       "permissions", "没有写入权限；请另选文件夹或修改其权限"),
    "env.not_folder": ("a part of the path is a file, not a folder",
                       "路径中有一项是文件而不是文件夹"),
    "env.hint_cache": (" (set TYPESET_CACHE_DIR)", "（可设置 TYPESET_CACHE_DIR）"),
    "env.hint_output": (" (-o)", "（用 -o 指定）"),
    "env.library": ("a system library is missing ({detail}); install Pango as the README's "
                    "Quick start says", "缺少系统库（{detail}）；请按 README 的 Quick start "
                    "一节安装 Pango"),
    "env.memory": ("out of memory; close other programs or build with --jobs 1",
                   "内存不足；请关闭其他程序，或用 --jobs 1 再排一次"),
    "export.exists": ("a different file is already there (the export would replace it "
                      "with {source}); export to another folder or remove it",
                      "那里已有另一个文件（导出会用 {source} 替换它）；请导出到别的文件夹，"
                      "或先移走它"),
}

#: The languages of the catalogue's pairs, in order.
LANGUAGES = ("en", "zh")


def language() -> str:
    """``"zh"`` when the user's locale is Chinese, else ``"en"`` (read on every call, so a
    test or a long-running ``--watch`` follows the environment it is given)."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def msg(key: str, **values) -> str:
    """Message ``key`` in the user's language with ``values`` filled in."""
    return CATALOGUE[key][LANGUAGES.index(language())].format(**values)
