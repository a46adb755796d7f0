#!/bin/bash
# port.sh NAME B: build ports/NAME/recipe with the SDK in B/sdk, into B/ports/NAME/out.
#
# The source package is fetched from Debian's archive with apt-get source --download-only,
# through an apt configuration of our own under B/ports/apt (a deb-src entry for bookworm
# main on the mirror the machine's own sources name, Debian's archive keyring): nothing of
# the machine's apt setup changes and no root is needed.  The download is kept in
# B/ports/dl; the source is unpacked afresh in B/ports/NAME/src each time, Debian's patches
# applied (debian/patches/series, with patch(1)), then ports/NAME/*.patch, then
# configure and make with CC=riscv64-rvix-gcc.  Prints a line per step; the log of the build
# is B/ports/NAME/build.log.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: $0 NAME B" >&2; exit 2; }
name=$1 B=$2
cd "$(dirname "$0")/.."
top=$PWD
recipe=ports/$name/recipe
[ -f "$recipe" ] || { echo "$0: no $recipe" >&2; exit 2; }
PACKAGE= VERSION= AUTORECONF=no CONFIGURE= MAKE_ARGS= INSTALL=
. "$recipe"
upstream=${VERSION%-*}
upstream=${upstream#*:}

work=$top/$B/ports/$name
dl=$top/$B/ports/dl
apt=$top/$B/ports/apt
sdk=$top/$B/sdk
mkdir -p "$dl" "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/sources"

# the mirror: the first Debian URI the machine's sources name (PORTS_MIRROR overrides)
mirror=${PORTS_MIRROR:-}
if [ -z "$mirror" ]; then
	mirror=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '$1 == "URIs:" && $2 ~ /debian\/?$/ { print $2; exit }' || true)
	[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $2 ~ /^http/ && $2 ~ /debian\/?$/ { print $2; exit }' /etc/apt/sources.list 2>/dev/null || true)
	[ -n "$mirror" ] || mirror=http://deb.debian.org/debian
fi
cat > "$apt/sources/ports-src.sources" <<SRC
Types: deb-src
URIs: $mirror
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
aptopts=(-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts="$apt/sources"
	 -o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache" -o Debug::NoLocking=1
	 -o APT::Sandbox::User=root)

dsc=${PACKAGE}_${VERSION#*:}.dsc
if [ ! -f "$dl/$dsc" ]; then
	echo "  PORT $name: fetching $PACKAGE $VERSION from $mirror"
	ls "$apt/lists/"*Sources* >/dev/null 2>&1 || apt-get -q "${aptopts[@]}" update >"$apt/update.log" 2>&1 ||
		{ cat "$apt/update.log" >&2; exit 1; }
	(cd "$dl" && apt-get -q "${aptopts[@]}" source --download-only "$PACKAGE=$VERSION") >"$dl/$name.log" 2>&1 ||
		{ cat "$dl/$name.log" >&2; exit 1; }
fi

echo "  PORT $name: unpack, patch, configure"
rm -rf "$work/src" "$work/out"
mkdir -p "$work/src" "$work/out"
orig=$(ls "$dl/${PACKAGE}_${upstream}".orig.tar.* | head -1)
tar -xf "$orig" -C "$work/src" --strip-components=1
deb=$(ls "$dl/${PACKAGE}_${VERSION#*:}".debian.tar.* 2>/dev/null | head -1 || true)
log=$work/build.log
: > "$log"
cd "$work/src"
if [ -n "$deb" ]; then
	tar -xf "$deb"
	if [ -f debian/patches/series ]; then
		grep -v '^\s*#' debian/patches/series | while read -r p _; do
			[ -n "$p" ] && patch -p1 -s < "debian/patches/$p" >>"$log" 2>&1
		done
	fi
fi
for p in "$top/ports/$name"/*.patch; do
	[ -e "$p" ] && patch -p1 -s < "$p" >>"$log" 2>&1
done
if [ "$AUTORECONF" = yes ]; then
	autoreconf -fi >>"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
fi
export PATH=$sdk/bin:$PATH
# shellcheck disable=SC2086
./configure $CONFIGURE CC=riscv64-rvix-gcc >>"$log" 2>&1 || { tail -20 "$log" >&2; exit 1; }
echo "  PORT $name: make"
# shellcheck disable=SC2086
make -j2 $MAKE_ARGS >>"$log" 2>&1 || { tail -30 "$log" >&2; exit 1; }
for i in $INSTALL; do
	src=${i%%:*} dst=${i#*:}
	mkdir -p "$work/out/$(dirname "$dst")"
	riscv64-rvix-strip -o "$work/out/$dst" "$src"
done
echo "  PORT $name: $(cd "$work/out" && find . -type f | sed 's|^\./||' | tr '\n' ' ')"
