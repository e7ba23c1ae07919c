# What the service scripts of .ci/ share; sourced by each (`source .ci/lib.sh`), never run.
# Logging with the script's name, pid files checked against the command line (a reused pid is
# never taken for ours), Debian packages still missing, and stopping what a script started.
# shellcheck shell=bash

log() { printf '[%s] %s\n' "${0##*/}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

pid_alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
# $1 a pid file: the pid in it, or nothing
read_pid() { [[ -s "$1" ]] && cat "$1" || true; }
# $1 pid, $2 string that must occur in its command line (guards against pid reuse)
pid_ours() {
    pid_alive "${1:-}" && [[ -r "/proc/$1/cmdline" ]] \
        && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "$2"
}

# The names in the caller's PACKAGES array that dpkg does not have installed, space-separated.
missing_packages() {
    local p st
    for p in "${PACKAGES[@]}"; do
        st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [[ "$st" == "install ok installed" ]] || printf '%s ' "$p"
    done
}

# Stops process groups this script started with setsid: TERM to all, wait, KILL.
# Arguments: "pid:name" pairs (empty pids are skipped).
stop_groups() {
    local item pid alive _
    local -a pids=()
    for item in "$@"; do
        pid=${item%%:*}
        [[ -n "$pid" ]] && pid_alive "$pid" || continue
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        pids+=("$item")
    done
    for _ in $(seq 1 200); do
        alive=0
        for item in "${pids[@]}"; do
            pid_alive "${item%%:*}" && alive=1
        done
        [[ $alive -eq 0 ]] && break
        sleep 0.1
    done
    for item in "${pids[@]}"; do
        pid=${item%%:*}
        if pid_alive "$pid"; then
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            log "killed ${item#*:} ($pid)"
        else
            log "stopped ${item#*:} ($pid)"
        fi
    done
}
