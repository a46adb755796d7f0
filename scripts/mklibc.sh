#!/bin/bash
# mklibc.sh OUT PICOLIBC_A OBJ...: the one libc archive every program links with
# (and the SDK installs): picolibc's ISO C library with our POSIX layer over IPC
# (lib/libc) in it, each global symbol defined by exactly one member.
#
# Each of picolibc's members that defines a symbol one of ours defines is left out
# (its sbrk over the static area, its no-op locks, its signal/raise, its remove), so
# which one a program gets can no longer depend on the order the linker meets them
# in: two archives side by side would let picolibc's member win whenever picolibc's
# own code asked for the symbol first.  A symbol such a member defined that none of
# ours does would then be missing: that is an error here, not at some program's link.
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 OUT PICOLIBC_A OBJ..." >&2; exit 2; }
out=$1 pico=$2
shift 2
: "${NM:=riscv64-unknown-elf-nm}" "${AR:=riscv64-unknown-elf-ar}"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# global symbols defined by our objects, and by each of picolibc's members
"$NM" -g --defined-only "$@" | awk 'NF == 3 { print $3 }' | sort -u > "$tmp/ours"
"$NM" -g --defined-only -A "$pico" | awk 'NF == 3 { sub(/:[^:]*$/, "", $1); sub(/.*:/, "", $1); print $1, $3 }' \
	| sort -k2 > "$tmp/theirs"

# the members to leave out, and what else they define
join -1 2 -2 1 -o 1.1 "$tmp/theirs" "$tmp/ours" | sort -u > "$tmp/drop"
awk 'NR == FNR { drop[$1] = 1; next } ($1 in drop) { print $2 }' "$tmp/drop" "$tmp/theirs" | sort -u \
	| comm -23 - "$tmp/ours" > "$tmp/lost"
if [ -s "$tmp/lost" ]; then
	echo "$0: picolibc members $(tr '\n' ' ' < "$tmp/drop")also define, and lib/libc does not:" >&2
	sed 's/^/  /' "$tmp/lost" >&2
	exit 1
fi

cp "$pico" "$tmp/libc.a"
if [ -s "$tmp/drop" ]; then
	xargs "$AR" d "$tmp/libc.a" < "$tmp/drop"
fi
"$AR" rs "$tmp/libc.a" "$@"

# the promise: no symbol has two strong definitions.  (lib/libc's own weak defaults,
# e.g. proc.c's fork hooks that pthread.c's replace when a program has threads, are
# meant: a weak one is used only when no member with the strong one is linked.)
"$NM" -g --defined-only "$tmp/libc.a" | awk 'NF == 3 && $2 !~ /^[wWvV]$/ { print $3 }' | sort | uniq -d > "$tmp/twice"
if [ -s "$tmp/twice" ]; then
	echo "$0: defined by two members:" >&2
	sed 's/^/  /' "$tmp/twice" >&2
	exit 1
fi
mv "$tmp/libc.a" "$out"
