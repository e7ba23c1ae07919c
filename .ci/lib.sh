# What the service scripts of .ci/ share; sourced by each (`source .ci/lib.sh`), never run.
# Logging with the script's name, pid files checked against the command line (a reused pid is
# never taken for ours), Debian packages (which are missing, installing them), and stopping what a
# script started.
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

# Installs the caller's PACKAGES with apt-get (root; nothing when all are installed). Arguments:
# debconf answers to preseed first ("package question type value"). While apt runs, a
# policy-rc.d keeps Debian's maintainer scripts from starting services (apache2 on port 80,
# mariadb ...): the scripts start their own, on 127.0.0.1.
apt_install() {
    local missing answer created_policy=0 t0=$SECONDS
    missing=$(missing_packages)
    if [[ -z "$missing" ]]; then
        log "packages already installed"
        return 0
    fi
    [[ $(id -u) -eq 0 ]] || die "install needs root (missing: $missing)"
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        created_policy=1
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
    export DEBIAN_FRONTEND=noninteractive
    for answer in "$@"; do
        echo "$answer" | debconf-set-selections
    done
    log "apt-get update"
    apt-get update -qq
    log "apt-get install $missing(apt can take a minute or two on a fresh machine)"
    # No recommends: each script lists what it needs; the rest only costs download time.
    apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=600 \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        "${PACKAGES[@]}" >/dev/null
    if [[ $created_policy -eq 1 ]]; then
        rm -f /usr/sbin/policy-rc.d
        trap - EXIT
    fi
    log "install done in $((SECONDS - t0)) s"
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
