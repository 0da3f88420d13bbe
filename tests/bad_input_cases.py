"""The corpus of broken and hostile inputs: (id, files to write, expected first error line).

Each case starts from the tiny project; `G` is its guide. A value of a files mapping is either the
whole new text or a (old, new) replacement applied to the fixture's file.
"""

from __future__ import annotations

G = "content/guides/leave-list.yaml"
CFG = "guidegen.yaml"
SRC = "content/sources.yaml"
GLOSS = "content/glossary.yaml"
PO = "content/locales/zh-Hans/guides/leave-list.po"
UI = "content/locales/zh-Hans/ui.po"

CASES = [
    # YAML syntax and encoding
    (
        "tab-indent",
        {G: "id: leave-list\n\tedition: '1'\n"},
        f"{G}:2:1: error: YAML syntax error: found character '\\t' that cannot start any token "
        "(YAML indents with spaces, never tabs)",
    ),
    (
        "unclosed-quote",
        {G: 'id: "leave-list\n'},
        f"{G}:2:1: error: YAML syntax error: found unexpected end of stream "
        "(check the indentation and quoting around this place)",
    ),
    (
        "bad-indent",
        {G: "id: leave-list\n  title: x\n edition: y\n"},
        f"{G}:2:8: error: YAML syntax error: mapping values are not allowed here "
        "(check the indentation and quoting around this place)",
    ),
    (
        "empty-file",
        {G: ""},
        f"{G}:1:1: error: file is empty (see docs/authoring.md for the fields)",
    ),
    (
        "only-comments",
        {G: "# nothing here\n"},
        f"{G}:1:1: error: file is empty (see docs/authoring.md for the fields)",
    ),
    (
        "not-utf8",
        {G: b"id: leave-list\ntitle: caf\xe9\n"},
        f"{G}:2:11: error: file is not valid UTF-8 (save it with UTF-8 encoding)",
    ),
    (
        "duplicate-key",
        {G: ("jurisdiction: CN", "jurisdiction: CN\njurisdiction: HK")},
        f"{G}:3:1: error: duplicate key 'jurisdiction' (first defined at line 2; remove one of them)",
    ),
    (
        "python-tag",
        {G: ("jurisdiction: CN", "jurisdiction: !!python/object/apply:os.system [ls]")},
        f"{G}:2:15: error: tag tag:yaml.org,2002:python/object/apply:os.system is not allowed "
        "(only plain YAML values are read; remove the '!' tag)",
    ),
    (
        "custom-tag",
        {G: ("jurisdiction: CN", "jurisdiction: !secret CN")},
        f"{G}:2:15: error: tag !secret is not allowed (only plain YAML values are read; remove the '!' tag)",
    ),
    (
        "billion-laughs",
        {
            G: "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
            "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
            "f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        },
        f"{G}:1:35: error: document expands to more than 100000 values "
        "(aliases (*name) may repeat anchors only a few times)",
    ),
    (
        "deep-nesting",
        {G: "a: " + "[" * 60 + "]" * 60 + "\n"},
        f"{G}:1:44: error: nesting is deeper than 40 levels (flatten the structure)",
    ),
    (
        "huge-file",
        {G: "id: leave-list\n" + "# padding\n" * 110_000},
        f"{G}:1:1: error: file is 1100015 bytes, over the limit of 1000000 (split it into smaller files)",
    ),
    (
        "merge-key",
        {G: ("jurisdiction: CN", "jurisdiction: CN\nx: &x {a: 1}\ny:\n  <<: *x")},
        f"{G}:3:1: error: unknown field 'x' in guide (known fields: id, jurisdiction, edition, title, "
        "summary, audience, before_you_start, steps, what_next, if_refused, letters, faq, sources, "
        "terms, contacts, related, review)",
    ),
    (
        "top-level-list",
        {G: "- id: leave-list\n"},
        f"{G}:1:1: error: document: expected a mapping of guide fields, found list "
        "[{'id': 'leave-list'}]",
    ),
    # Schema
    (
        "unknown-field",
        {G: ('title: "Leaving the list"', 'title: "Leaving the list"\ntitel: x')},
        f"{G}:5:1: error: unknown field 'titel' in guide (did you mean 'title'?)",
    ),
    (
        "unknown-step-field",
        {G: ('    title: "Ask the court"', '    title: "Ask the court"\n    bdy: x')},
        f"{G}:12:5: error: unknown field 'bdy' in step (did you mean 'body'?)",
    ),
    (
        "missing-title",
        {G: ('title: "Leaving the list"\n', "")},
        f"{G}:1:1: error: missing required field 'title' in guide (The guide's title, as a reader "
        "would search for it.)",
    ),
    (
        "missing-review",
        {
            G: (
                "review:\n  reviewed: 2026-11-20\n  review_by: 2027-05-20\n"
                '  reviewer: "Test reviewer"\n  status: reviewed\n',
                "",
            )
        },
        f"{G}:1:1: error: missing required field 'review' in guide (Review metadata.)",
    ),
    (
        "deadline-amount-out-of-range",
        {G: ("      - amount: 3", "      - amount: 0")},
        f"{G}:22:17: error: steps.0.deadlines.0.amount: 0 is not between 1 and 3650 "
        "(How many units, a whole number from 1 to 3650.)",
    ),
    (
        "title-number",
        {G: ('title: "Leaving the list"', "title: 42")},
        f"{G}:4:8: error: title: expected text, found int 42 (put the value in quotes)",
    ),
    (
        "steps-not-list",
        {G: ("steps:\n  - id: ask", "steps:\n  id: ask\nsteps_old:\n  - id: ask")},
        f"{G}:10:3: error: steps: expected a list, found dict {{'id': 'ask'}} (start each item with '- ')",
    ),
    (
        "amount-text",
        {G: ("amount: 3", "amount: three")},
        f"{G}:22:17: error: steps.0.deadlines.0.amount: expected a whole number, found str 'three'",
    ),
    (
        "bad-unit",
        {G: ("unit: working-days", "unit: workdays")},
        f"{G}:23:15: error: steps.0.deadlines.0.unit: expected one of: calendar-days, working-days, "
        "months, years, found str 'workdays' (did you mean 'working-days'?)",
    ),
    (
        "bad-date",
        {G: ("reviewed: 2026-11-20", "reviewed: 2026-13-40")},
        f"{G}:58:13: error: cannot read value '2026-13-40': month must be in 1..12 "
        "(dates are written YYYY-MM-DD)",
    ),
    (
        "date-as-text",
        {G: ("review_by: 2027-05-20", "review_by: next year")},
        f"{G}:59:14: error: review.review_by: expected a date, found str 'next year' "
        "(write dates as YYYY-MM-DD, unquoted)",
    ),
    (
        "review-order",
        {G: ("review_by: 2027-05-20", "review_by: 2026-01-01")},
        f"{G}:58:3: error: review_by must come after reviewed",
    ),
    (
        "bad-status",
        {G: ("status: reviewed", "status: done")},
        f"{G}:61:11: error: review.status: expected one of: draft, reviewed, found str 'done'",
    ),
    (
        "id-mismatch",
        {G: ("id: leave-list", "id: leave-lists")},
        f"{G}:1:5: error: guide id 'leave-lists' does not match the file name "
        "(rename the file to leave-lists.yaml or set id: leave-list)",
    ),
    (
        "no-sources",
        {
            G: (
                'sources:\n  - {id: rule-one, pinpoint: "Art. 10"}\n'
                '  - {id: rule-two, pinpoint: "Art. 5"}\n',
                "",
            )
        },
        f"{G}:1:1: error: guide 'leave-list' cites no sources "
        "(list the legal sources under 'sources' with article pinpoints)",
    ),
    (
        "duplicate-step",
        {G: ("  - id: check\n", "  - id: ask\n")},
        f"{G}:30:5: error: duplicate step id 'ask' (each step needs its own id)",
    ),
    (
        "undeclared-blank",
        {G: ("ask you to delete", "ask you {when} to delete")},
        f"{G}:38:5: error: letter 'request' uses blank {{when}} that is not declared "
        "(add it under 'blanks' with a label)",
    ),
    # References
    (
        "unknown-source",
        {G: ('{id: rule-two, pinpoint: "Art. 5"}\nwhat', '{id: rule-3, pinpoint: "Art. 5"}\nwhat')},
        f"{G}:34:9: error: unknown source 'rule-3' (did you mean 'rule-two'?)",
    ),
    (
        "unknown-term",
        {G: ("terms: [court-list]", "terms: [court-lists]")},
        f"{G}:54:9: error: unknown glossary term 'court-lists' (did you mean 'court-list'?)",
    ),
    (
        "unknown-contact",
        {G: ("contacts: [help-line]", "contacts: [hotline]")},
        f"{G}:55:12: error: unknown contact 'hotline' (did you mean 'help-line'?)",
    ),
    (
        "unknown-related",
        {G: ("related: []", "related: [leave-lists]")},
        f"{G}:56:11: error: unknown guide 'leave-lists' (did you mean 'leave-list'?)",
    ),
    (
        "cited-not-listed",
        {G: ('  - {id: rule-two, pinpoint: "Art. 5"}\nterms', "terms")},
        f"{G}:34:9: error: source 'rule-two' is cited but not listed in the guide's sources "
        "(add it to 'sources' so that it is printed with the guide)",
    ),
    (
        "shared-bad-id",
        {GLOSS: ("court-list:", "Court List:")},
        f"{GLOSS}:1:1: error: invalid id 'Court List' (use lowercase letters, digits and hyphens)",
    ),
    (
        "source-missing-title",
        {SRC: ('  title: "Rule One on Lists"\n', "")},
        f"{SRC}:1:1: error: missing required field 'title' in source (English (source-language) "
        "name of the instrument.)",
    ),
    # Configuration
    (
        "unknown-locale",
        {CFG: ("code: zh-Hans", "code: xx-Nope")},
        f"{CFG}:13:11: error: unknown locale code 'xx-Nope' "
        "(use a BCP 47 code such as 'en', 'zh-Hans', 'ug' or 'vi')",
    ),
    (
        "config-unknown-key",
        {CFG: ("paper: a4", "paper: a4\npaperr: a4")},
        f"{CFG}:6:1: error: unknown field 'paperr' in config (did you mean 'paper'?)",
    ),
    (
        "config-bad-paper",
        {CFG: ("paper: a4", "paper: a5")},
        f"{CFG}:5:8: error: paper: expected one of: a4, letter, found str 'a5'",
    ),
    (
        "config-font-injection",
        {CFG: ("font: Noto Sans CJK SC", "font: 'x\"; } body { display:none'")},
        f"{CFG}:16:11: error: invalid font name 'x\"; }} body {{ display:none' "
        "(use letters, digits and spaces, e.g. 'Noto Sans CJK SC')",
    ),
    (
        "config-http-base",
        {CFG: ("https://example.test/guides", "ftp://example.test")},
        f"{CFG}:2:11: error: web address 'ftp://example.test' must start with https:// or http:// "
        "(e.g. https://www.court.gov.cn)",
    ),
    # Translations
    (
        "po-malformed",
        {PO: ('msgstr "退出名单"', 'msgstr "退出名单')},
        f"{PO}:21:8: error: malformed PO file: end-of-line within string (open it in Poedit, "
        "or run 'msgfmt --check' on it, to see and mend the problem)",
    ),
    (
        "po-drops-placeholder",
        {PO: ("致：{court}", "致：法院")},
        f"{PO}:157:1: error: translation drops placeholder {{court}} "
        "(in entry 'leave-list|letters.request.body')",
    ),
    (
        "po-changes-number",
        {PO: ("法院必须在3个工作日内处理", "法院必须在5个工作日内处理")},
        f"{PO}:50:1: error: number 3 of the source is missing from the translation "
        "(in entry 'leave-list|steps.ask.body')",
    ),
    (
        "po-breaks-markdown",
        {PO: ("找到法院的**决定书**。", "找到法院的**决定书。")},
        f"{PO}:38:1: error: unbalanced ** in the translation breaks the Markdown "
        "(in entry 'leave-list|before_you_start.0')",
    ),
    (
        "po-drops-list-item",
        {PO: ("- 带上证明\\n", "")},
        f"{PO}:50:1: error: the source has 2 list item(s), the translation 1 "
        "(in entry 'leave-list|steps.ask.body')",
    ),
    (
        "po-bad-keyword",
        {PO: ('msgstr "退出名单"', 'msgstrr "退出名单"')},
        f'{PO}:21:1: error: malformed PO file: keyword "msgstrr" unknown',
    ),
    (
        "po-not-utf8",
        {UI: b'msgid ""\nmsgstr "\\xff"\n\xff\xfe\n'},
        f"{UI}:3:1: error: file is not valid UTF-8 (save it with UTF-8 encoding)",
    ),
]
