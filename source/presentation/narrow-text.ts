/**
 * Characters one column wide whatever string-width's grapheme and emoji rules would say: printable
 * ASCII, Latin (the soft hyphen aside), general punctuation, arrows, box drawing, blocks, the
 * geometric shapes that have no emoji presentation, and the minus sign and dingbats opsconsole
 * draws (⚠ ✔ ✖ ❯) — what its screens are made of. A test holds every one of them to
 * string-width's answer (with its default options).
 */
export const narrowText = /^[\x20-\x7E\u00A0-\u00AC\u00AE-\u02FF\u2010-\u2027\u2030-\u205E\u2190-\u21FF\u2212\u2500-\u25FC\u26A0\u2714\u2716\u276F]*$/;
