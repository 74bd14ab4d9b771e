# shellcheck shell=bash
# Sourced by the scripts that cache downloads and builds (kernel images,
# chroots, the guest userland, the debug kernel): where that cache is.

# vpid_cache_root: print $VPID_CACHE if set, else /var/cache/vpid when it
# can be made writable, else ${XDG_CACHE_HOME:-~/.cache}/vpid
vpid_cache_root() {
    if [[ -n ${VPID_CACHE-} ]]; then
        printf '%s\n' "$VPID_CACHE"
    elif mkdir -p /var/cache/vpid 2>/dev/null && [[ -w /var/cache/vpid ]]; then
        printf '%s\n' /var/cache/vpid
    else
        printf '%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}/vpid"
    fi
}
