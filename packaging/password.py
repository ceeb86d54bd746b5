"""The archive password: generated, checked when typed, fingerprinted.

Generated passwords are 20 symbols from a 32-symbol alphabet (100 bits) written in groups of
four joined by dashes, e.g. ``K7PM-Q4XR-W9TF-H3JD-N6CB``. **The dashes are part of the password**:
the archive is encrypted with exactly the string that is shown, read over the phone and typed at
the other end, so nobody has to know to leave them out. The alphabet is upper case only (nobody
has to say "capital") and has no look-alikes: no 0/O, no 1/I (and no lower-case l at all).

pyzipper stretches the password with only 1000 PBKDF2 rounds, so the archive is exactly as strong
as the password: a typed password is refused when short, non-ASCII or trivially guessable.
Nothing in this module logs or stores a password.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols = 5 bits each; no 0 O 1 I l
GROUP = 4
GROUPS = 5  # 20 symbols, 100 bits (the floor is 80)
SEPARATOR = "-"
MIN_TYPED_LENGTH = 12
MIN_UNPATTERNED = 8  # a typed password needs this many characters outside any known pattern

_GENERATED_RE = re.compile(rf"^[{ALPHABET}]{{{GROUP}}}(?:-[{ALPHABET}]{{{GROUP}}})+$")


def bits_of_generated(groups: int = GROUPS) -> float:
    """Entropy of a generated password in bits (log2 of 32 is 5 per symbol)."""
    return groups * GROUP * 5.0


def generate(groups: int = GROUPS) -> str:
    """A fresh random password, groups of four joined by dashes (the dashes belong to it)."""
    if bits_of_generated(groups) < 80:
        raise ValueError("a generated password must carry at least 80 bits")
    symbols = "".join(secrets.choice(ALPHABET) for _ in range(groups * GROUP))
    return SEPARATOR.join(symbols[i : i + GROUP] for i in range(0, len(symbols), GROUP))


def is_generated_form(pw: str) -> bool:
    """True when ``pw`` has the shape of a generated password (upper-case groups of four)."""
    return bool(_GENERATED_RE.match(pw))


def reading_hint(pw: str) -> str:
    """How to read and type the password, for the slip and the window (says nothing secret)."""
    if is_generated_form(pw):
        return (
            f"密码共 {len(pw)} 个字符，由大写字母、数字和连字符“-”组成，连字符也是密码的一部分，"
            "输入时不能省略；密码中没有数字 0、1，也没有字母 O、I。"
        )
    return f"密码共 {len(pw)} 个字符，区分大小写，请逐个字符核对后输入。"


# --- fingerprint ---------------------------------------------------------------------------

FINGERPRINT_SCHEME = "pbkdf2-sha256"
FINGERPRINT_ROUNDS = 200_000
_FINGERPRINT_HEX = 16


def fingerprint(pw: str, salt: str | None = None, rounds: int = FINGERPRINT_ROUNDS) -> str:
    """A self-describing fingerprint ``pbkdf2-sha256$ROUNDS$SALT$HEX16`` of the password.

    Why this shape: the fingerprint is kept in the workspace to tell later whether a password
    (from the credential store, or typed) is the archive's, without keeping the password. Anyone
    holding the workspace can test guesses against it, so it must never be cheaper to attack than
    the archive itself (1000 PBKDF2 rounds): hence a slow PBKDF2 with far more rounds instead of a
    bare SHA-256, and a fresh random salt per archive (stored in the string) so nothing can be
    precomputed and two archives with the same password do not show it. Only 64 bits are kept:
    plenty to tell passwords apart, and nothing to read the password back from.
    """
    salt = salt if salt is not None else secrets.token_hex(16)
    digest = hashlib.pbkdf2_hmac("sha256", pw.encode("utf-8"), bytes.fromhex(salt), rounds)
    return f"{FINGERPRINT_SCHEME}${rounds}${salt}${digest.hex()[:_FINGERPRINT_HEX]}"


def fingerprint_matches(pw: str, stored: str) -> bool:
    """True when ``pw`` is the password that ``stored`` (from :func:`fingerprint`) was made of."""
    try:
        scheme, rounds, salt, value = stored.split("$")
        if scheme != FINGERPRINT_SCHEME:
            return False
        fresh = fingerprint(pw, salt, int(rounds))
    except ValueError:
        return False
    return hmac.compare_digest(fresh.rsplit("$", 1)[1], value)


def short_fingerprint(stored: str) -> str:
    """The 16-hex value alone, for showing (e.g. ``3fa4-0c1e-9b77-d2a8``)."""
    value = stored.rsplit("$", 1)[-1]
    return "-".join(value[i : i + 4] for i in range(0, len(value), 4))


# --- typed passwords -----------------------------------------------------------------------

_SEPARATORS = "-_. "
_LEET = str.maketrans({"0": "o", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"})
_KEYBOARD = (
    "`1234567890-=",
    "qwertyuiop[]\\",
    "asdfghjkl;'",
    "zxcvbnm,./",
    "~!@#$%^&*()_+",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/",
    "qazwsxedcrfvtgbyhnujmikolp",
    "zaq1xsw2cde3vfr4bgt5nhy6mju7",
)
_COMMON_WORDS = (
    "password passwd pass admin administrator root user guest test temp welcome hello login "
    "letmein iloveyou love monkey dragon master secret qwerty china zhongguo mima "
    "woaini aini baosong baosongzhushou zhushou guangxi nanning liuzhou guilin wuzhou beihai "
    "fangchenggang qinzhou guigang yulin baise hezhou hechi laibin chongzuo pingjia kaohe "
    "jixiao kaopingban shehui choucha chouyangkuang wenjuan shuju"
).split()
_DEPARTMENT_WORDS = (
    "zhengfu dangwei renda zhengxie gongan jiaoyu caizheng renshe minzheng shuili nongye linye "
    "weisheng weijian jiaotong zhujian huanbao shangwu wenhua tiyu tongji shenji shuiwu guotu "
    "ziran anjian shipin yaojian gongshang zhijian fagai gongxin keji sifa fayuan jiancha "
    "bangongting ting ju wei ban bu zzq gxzzq zf gov "
    "gat jyt czt rst mzt slt nyt lyt wjw jtt zjt hbt swt whw tyj tjj sjt dsj gsj zjj fgw gxt kjt sft"
).split()
_PATTERNS = (
    ("date", re.compile(r"(?:19[5-9]\d|20[0-4]\d)(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])")),
    ("phone", re.compile(r"1[3-9]\d{9}|07\d{2}\d{7,8}")),
    ("date", re.compile(r"19[5-9]\d|20[0-4]\d")),
    ("department", re.compile(r"(?<![a-z])gx[a-z]{1,4}")),
)
_REASONS = {
    "repeat": "密码主要是重复的字符或片段（如“{x}”），很容易被猜中",
    "sequence": "密码主要是连续的字母或数字（如“{x}”），很容易被猜中",
    "keyboard": "密码主要是键盘上挨着的按键（如“{x}”），很容易被猜中",
    "word": "密码主要是常见的单词、拼音或地名（如“{x}”），很容易被猜中",
    "date": "密码主要是年份或日期（如“{x}”），很容易被猜中",
    "phone": "密码含有电话号码（如“{x}”），别人很容易猜到",
    "department": "密码主要是单位名称、简称或本次报送的名称（如“{x}”），很容易被猜中",
}
_ADVICE = "：请换一个没有规律的密码，或直接使用程序生成的密码。"


def check_typed(pw: str, context: tuple[str, ...] = ()) -> list[str]:
    """Reasons (简体中文, each saying what to do) why a typed password is refused; empty = accepted.

    ``context`` holds words an attacker would try first for this archive (the department's code or
    abbreviation, the year, the archive name): a password made mostly of them is refused.
    """
    if not pw:
        return ["请输入密码，或直接使用程序生成的密码。"]
    reasons = _form_reasons(pw)
    if len(pw) < MIN_TYPED_LENGTH:
        reasons.insert(
            0,
            f"密码太短：只有 {len(pw)} 个字符，至少需要 {MIN_TYPED_LENGTH} 个，请加长，或直接使用程序生成的密码。",
        )
    if reasons:
        return reasons
    return _guessable_reasons(pw, context)


def _form_reasons(pw: str) -> list[str]:
    reasons: list[str] = []
    odd = [ch for ch in pw if not ch.isascii()]
    if odd:
        reasons.append(
            f"密码含有中文、全角或其他非英文字符（如“{odd[0]}”）：部分解压软件打不开这样的压缩包，"
            "请只用英文字母、数字和半角符号。"
        )
    if " " in pw:
        reasons.append("密码含有空格：电话告知时容易漏掉，请去掉空格，需要分隔时用“-”。")
    if any(ch.isascii() and not ch.isprintable() for ch in pw):
        reasons.append("密码含有看不见的控制字符（如制表符）：请重新输入。")
    return reasons


def _guessable_reasons(pw: str, context: tuple[str, ...]) -> list[str]:
    s = "".join(ch for ch in pw.lower() if ch not in _SEPARATORS)
    if s.isdigit():
        return ["密码全是数字，很容易被逐个试出：请加入字母，或直接使用程序生成的密码。"]
    covered = [False] * len(s)
    found: dict[str, str] = {}
    # Longest patterns first; a pattern that adds nothing new (qwerty inside qwertyuiop) is not named.
    for kind, start, end, sample in sorted(_matches(s, context), key=lambda m: m[1] - m[2]):
        if all(covered[start:end]):
            continue
        found.setdefault(kind, sample)
        covered[start:end] = [True] * (end - start)
    left = covered.count(False)
    if left >= MIN_UNPATTERNED:
        return []
    if not found:
        return [f"去掉分隔符后只剩 {left} 个字符，很容易被猜中{_ADVICE}"]
    return [_REASONS[kind].format(x=sample) + _ADVICE for kind, sample in list(found.items())[:3]]


Match = tuple[str, int, int, str]  # kind, start, end (the stretch it explains), what to show


def _matches(s: str, context: tuple[str, ...]) -> list[Match]:
    found = _repeats(s) + _sequences(s) + _keyboard_runs(s)
    for kind, pattern in _PATTERNS:
        found += [(kind, m.start(), m.end(), m.group()) for m in pattern.finditer(s)]
    words = [w for w in (c.lower() for c in context) if len(w) >= 3]
    for variant in {s, s.translate(_LEET).replace("1", "i"), s.translate(_LEET).replace("1", "l")}:
        found += _find_all(s, variant, _COMMON_WORDS, "word")
        found += _find_all(s, variant, _DEPARTMENT_WORDS, "department")
        found += _find_all(s, variant, words, "department")
    return found


def _find_all(s: str, variant: str, words: list[str], kind: str) -> list[Match]:
    hits = []
    for word in words:
        start = variant.find(word)
        while start >= 0:
            end = start + len(word)
            hits.append((kind, start, end, s[start:end]))
            start = variant.find(word, start + 1)
    return hits


def _repeats(s: str) -> list[Match]:
    """Stretches equal to the stretch ``p`` characters before them (``aaa``, ``abab``, ``xyzxyz``)."""
    hits = []
    for p in range(1, len(s) // 2 + 1):
        run = 0
        for j in range(p, len(s) + 1):
            if j < len(s) and s[j] == s[j - p]:
                run += 1
                continue
            if run >= max(p, 2):
                hits.append(("repeat", j - run, j, s[j - run - p : j]))
            run = 0
    return hits


def _sequences(s: str) -> list[Match]:
    """Runs of three or more consecutive letters or digits, up or down (``abc``, ``9876``)."""
    hits = []
    i = 0
    while i < len(s) - 1:
        step = _step(s[i], s[i + 1])
        if not step:
            i += 1
            continue
        j = i + 1
        while j + 1 < len(s) and _step(s[j], s[j + 1]) == step:
            j += 1
        if j - i >= 2:
            hits.append(("sequence", i, j + 1, s[i : j + 1]))
        i = j
    return hits


def _step(a: str, b: str) -> int:
    same_class = (a.isdigit() and b.isdigit()) or (a.isalpha() and b.isalpha())
    step = ord(b) - ord(a)
    return step if same_class and step in (1, -1) else 0


def _keyboard_runs(s: str, shortest: int = 4) -> list[Match]:
    hits = []
    for row in _KEYBOARD:
        for line in (row, row[::-1]):
            for i in range(len(s) - shortest + 1):
                end = i + shortest
                if s[i:end] not in line:
                    continue
                while end < len(s) and s[i : end + 1] in line:
                    end += 1
                hits.append(("keyboard", i, end, s[i:end]))
    return hits
