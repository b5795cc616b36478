"""The daily doorway: snippets that put journal nudge's line where people already are.

Each snippet reads the status file (status.py) with its shell's own built-ins, so a
prompt pays microseconds, not a Python start. It says the line only while the file is
about the journal day it is now and says that day is open; after the page is written or
on a paused day it says nothing. When the file is missing or from another day it asks
`journal nudge` to bring it up to date, at most once a day (a `.tried` file beside it
remembers the day and the file it tried for).

bash, zsh and fish print the line above the prompt once per shell each journal day;
starship and tmux keep it in the prompt or status line until the page is written.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from layers_journal.ui.messages import NUDGE_OPEN, NUDGE_SEPARATOR, NUDGE_WELCOME
from layers_journal.ui.terminal import shown_path

Quote = Callable[[str], str]


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"
    starship = "starship"
    tmux = "tmux"


HEADER = """\
# layers-journal: a quiet line while today's page is open, and nothing once it is written
# or the day is paused (journal nudge --shell printed this; delete these lines to stop it).
# It reads one small file: {where}
"""

BASH = r"""
__journal_nudge_file=@FILE@
__journal_nudge_until=0
__journal_nudge_read() {
    { read -r _v _day _state _layer _begins _ends _greet <"$__journal_nudge_file"; } 2>/dev/null &&
        [[ $_v == v1 && -n $_begins && $_begins != *[^0-9]* && -n $_ends && $_ends != *[^0-9]* ]] &&
        ((_begins <= _now && _now < _ends))
}
__journal_nudge() {
    local _ret=$? _v= _day= _state= _layer= _begins= _ends= _greet= _now= _today= _key= _tried=
    printf -v _now '%(%s)T' -1 2>/dev/null || _now=$(date +%s)
    ((_now < __journal_nudge_until)) && return $_ret
    if ! __journal_nudge_read; then
        # Missing or from another day: journal brings it up to date, at most once a day.
        printf -v _today '%(%F)T' -1 2>/dev/null || _today=$(date +%F)
        _key="$_today ${_ends:-none}"
        { read -r _tried <"$__journal_nudge_file.tried"; } 2>/dev/null
        [[ $_tried == "$_key" ]] && return $_ret
        (umask 077 && printf '%s\n' "$_key" >|"$__journal_nudge_file.tried") 2>/dev/null
        command -v journal >/dev/null && journal nudge >/dev/null 2>&1 </dev/null
        __journal_nudge_read || return $_ret
    fi
    if [[ $_state == open && -n $_layer && $_layer != *[^a-z]* ]]; then
        if [[ $_greet == welcome ]]; then
            printf '%s%s\n' @WELCOME@ "$_layer"
        else
            printf '%s%s\n' @OPEN@ "$_layer"
        fi
        __journal_nudge_until=$_ends
    fi
    return $_ret
}
[[ ${PROMPT_COMMAND-} == *__journal_nudge* ]] ||
    PROMPT_COMMAND="__journal_nudge${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
"""

ZSH = r"""
zmodload -F zsh/datetime p:EPOCHSECONDS b:strftime 2>/dev/null
typeset -g __journal_nudge_file=@FILE@
typeset -gi __journal_nudge_until=0
__journal_nudge_read() {
    { read -r _v _day _state _layer _begins _ends _greet <"$__journal_nudge_file"; } 2>/dev/null &&
        [[ $_v == v1 && $_begins == <-> && $_ends == <-> ]] &&
        ((_begins <= _now && _now < _ends))
}
__journal_nudge() {
    local _ret=$? _v _day _state _layer _begins _ends _greet _now _today _key _tried
    _now=${EPOCHSECONDS:-$(date +%s)}
    ((_now < __journal_nudge_until)) && return $_ret
    if ! __journal_nudge_read; then
        # Missing or from another day: journal brings it up to date, at most once a day.
        strftime -s _today %F $_now 2>/dev/null || _today=$(date +%F)
        _key="$_today ${_ends:-none}"
        { read -r _tried <"$__journal_nudge_file.tried"; } 2>/dev/null
        [[ $_tried == "$_key" ]] && return $_ret
        (umask 077 && print -r -- "$_key" >|"$__journal_nudge_file.tried") 2>/dev/null
        (( $+commands[journal] )) && journal nudge >/dev/null 2>&1 </dev/null
        __journal_nudge_read || return $_ret
    fi
    if [[ $_state == open && -n $_layer && $_layer != *[^a-z]* ]]; then
        if [[ $_greet == welcome ]]; then
            print -r -- @WELCOME@"$_layer"
        else
            print -r -- @OPEN@"$_layer"
        fi
        __journal_nudge_until=$_ends
    fi
    return $_ret
}
autoload -Uz add-zsh-hook && add-zsh-hook precmd __journal_nudge
"""

FISH = r"""
set -g __journal_nudge_file @FILE@
set -g __journal_nudge_until 0
function __journal_nudge_fresh --argument-names now _v _day _state _layer _begins _ends
    test "$_v" = v1
    and string match -qr '^[0-9]+ [0-9]+$' -- "$_begins $_ends"
    and test $_begins -le $now
    and test $now -lt $_ends
end
function __journal_nudge --on-event fish_prompt
    set -l now
    # Now without starting date at each prompt: the file's mtime plus its age (fish 3.5+).
    if builtin -q path; and set -l age (path mtime --relative $__journal_nudge_file 2>/dev/null)
        set now (math (path mtime $__journal_nudge_file) + $age)
    else
        set now (date +%s)
    end
    test $now -lt $__journal_nudge_until; and return
    set -l fields
    test -r $__journal_nudge_file; and read --list --delimiter ' ' fields <$__journal_nudge_file
    if not __journal_nudge_fresh $now $fields
        # Missing or from another day: journal brings it up to date, at most once a day.
        set -l ends none
        set -q fields[6]; and set ends $fields[6]
        set -l key (date +%F)" $ends"
        set -l tried
        test -r $__journal_nudge_file.tried; and read tried <$__journal_nudge_file.tried
        test "$tried" = "$key"; and return
        set -l mask (umask)
        umask 077
        printf '%s\n' $key >$__journal_nudge_file.tried 2>/dev/null
        umask $mask
        command -q journal; and journal nudge >/dev/null 2>&1 </dev/null
        set fields
        test -r $__journal_nudge_file; and read --list --delimiter ' ' fields <$__journal_nudge_file
        __journal_nudge_fresh $now $fields; or return
    end
    if test "$fields[3]" = open; and string match -qr '^[a-z]+$' -- "$fields[4]"
        if test "$fields[7]" = welcome
            printf '%s%s\n' @WELCOME@ $fields[4]
        else
            printf '%s%s\n' @OPEN@ $fields[4]
        end
        set -g __journal_nudge_until $fields[6]
    end
end
"""

# POSIX sh for starship and tmux, which start a shell of their own for each look: one
# line without single quotes, # or unbalanced parentheses, so tmux can hold it in #().
# The refresh runs in the background, so a prompt never waits for Python.
POSIX = (
    'f=@FILE@; now=$(date +%s); read -r v d s l b e g 2>/dev/null <"$f"; '
    'if [ "$v" = v1 ] && [ "$b" -le "$now" ] 2>/dev/null && [ "$now" -lt "$e" ] 2>/dev/null; '
    'then case $l in (*[!a-z]*|"") l=;; esac; '
    'if [ "$s" = open ] && [ -n "$l" ]; then '
    'if [ "$g" = welcome ]; then printf "@WELCOME@%s\\n" "$l"; '
    'else printf "@OPEN@%s\\n" "$l"; fi; fi; '
    'else k="$(date +%F) ${e:-none}"; t=; read -r t 2>/dev/null <"$f.tried"; '
    'if [ "$t" != "$k" ] && command -v journal >/dev/null 2>&1; then '
    '(umask 077; printf "%s\\n" "$k" >|"$f.tried") 2>/dev/null; '
    "journal nudge </dev/null >/dev/null 2>&1 & fi; fi"
)

# starship's module, written with a TOML writer (the script can hold any character).
STARSHIP = {
    "description": "layers-journal: a quiet line while today's page is open",
    "when": True,
    "shell": ["sh"],
    "format": "[$output]($style) ",
    "style": "dimmed",
}

TMUX = """\
# Room for it beside what the status line already shows (tmux keeps 40 characters).
if -F "#{e|<:#{status-right-length},90}" "set -g status-right-length 90"
set -ag status-right '@SCRIPT@'
"""


def snippet(shell: Shell, status_file: Path) -> str:
    """The lines to add to the shell's start-up file (or starship.toml, .tmux.conf).
    Whatever bytes the status file's path holds, each shell reads them as that path."""
    welcome, open_ = NUDGE_WELCOME + NUDGE_SEPARATOR, NUDGE_OPEN + NUDGE_SEPARATOR
    # A comment shows the path on one line, escaped, so no byte of it ever runs.
    header = HEADER.format(where=shown_path(status_file))
    if shell is Shell.bash or shell is Shell.zsh:
        body = BASH if shell is Shell.bash else ZSH
        return header + fill(body, status_file, welcome, open_, sh_quote)
    if shell is Shell.fish:
        return header + fill(FISH, status_file, welcome, open_, fish_quote)
    script = POSIX.replace("@FILE@", posix_path(str(status_file)))
    script = script.replace("@WELCOME@", in_format(welcome)).replace("@OPEN@", in_format(open_))
    if shell is Shell.starship:
        import tomli_w

        block = {"custom": {"journal": {**STARSHIP, "command": script}}}
        return header + "\n" + tomli_w.dumps(block)
    return header + TMUX.replace("@SCRIPT@", tmux_command(script))


def fill(body: str, status_file: Path, welcome: str, open_: str, quote: Quote) -> str:
    return (
        body.replace("@FILE@", quote(str(status_file)))
        .replace("@WELCOME@", quote(welcome))
        .replace("@OPEN@", quote(open_))
        .lstrip("\n")
    )


# Characters that stand as they are inside quotes in every shell here; anything else
# (controls, bytes that are not UTF-8) is written as an escape the shell turns back.
_PLAIN = re.compile(r"[^\x00-\x1f\x7f-\x9f\udc80-\udcff]*")
_BARE = re.compile(rb"[A-Za-z0-9/._+,=@-]")


def plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None


def sh_quote(text: str) -> str:
    """Single quotes for bash and zsh; a single quote inside closes, escapes, reopens.
    Text with control characters or bytes that are not UTF-8 is written $'...', byte
    by byte, which both shells read back exactly."""
    if plain(text):
        return "'" + text.replace("'", "'\\''") + "'"
    escaped = "".join(
        chr(byte) if _BARE.fullmatch(bytes([byte])) else f"\\x{byte:02x}"
        for byte in os.fsencode(text)
    )
    return "$'" + escaped + "'"


def fish_quote(text: str) -> str:
    """fish's single quotes take \\' and \\\\ as escapes; text they cannot hold is
    written unquoted, each other byte as fish's \\XHH."""
    if plain(text):
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
    return "".join(
        chr(byte) if _BARE.fullmatch(bytes([byte])) else f"\\X{byte:02x}"
        for byte in os.fsencode(text)
    )


def sh_double_quote(text: str) -> str:
    """Double quotes for POSIX sh: \\, ", $ and ` escaped."""
    return '"' + "".join("\\" + ch if ch in '"$`\\' else ch for ch in text) + '"'


def posix_path(text: str) -> str:
    """A path for POSIX sh inside starship and tmux: double quotes when it is plain and
    has no single quote (tmux's single-quoted option cannot hold one), else printf's
    octal escapes for every other byte, with a last x so a trailing newline stays."""
    if plain(text) and "'" not in text:
        return sh_double_quote(text)
    escaped = "".join(
        chr(byte) if _BARE.fullmatch(bytes([byte])) else f"\\{byte:03o}"
        for byte in os.fsencode(text)
    )
    return f'"$(printf "{escaped}x")"; f="${{f%x}}"'


def in_format(text: str) -> str:
    """Words inside a double-quoted printf format in POSIX sh: % doubled, and a single
    quote (which tmux's single-quoted option could not hold) as printf's \\047."""
    return sh_double_quote(text)[1:-1].replace("%", "%%").replace("'", "\\047")


def tmux_command(script: str) -> str:
    """The script as a #() inside a tmux option: tmux reads % as strftime and # as its
    own formats, so both are doubled; its single quotes cannot hold a single quote."""
    if "'" in script:
        raise ValueError("a single quote cannot stand in tmux's single-quoted options")
    return " #(" + script.replace("%", "%%").replace("#", "##") + ")"


def send_notification(line: str) -> None:
    """The line as a desktop notification through notify-send; nothing without one."""
    import contextlib
    import shutil
    import subprocess

    program = shutil.which("notify-send")
    if program is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [program, "--app-name=layers-journal", "--urgency=low", "layers-journal", line],
            capture_output=True,
            timeout=10,
            check=False,
        )
