/**
 * Name masking for the publicity list (公示名单). The list must let neighbours recognise and object
 * to a line, so it keeps a little of the name, but not the whole name. Counting is by Unicode code
 * point (Array.from), so a character outside the BMP (a rare surname, an emoji) is one character,
 * never split into a broken surrogate.
 */

const HAN = /\p{Script=Han}/u;

/**
 * Chinese names (any Han character): 1 character → "*"; 2 → first + "*" ("张三" → "张*"); 3 or more
 * → first, one "*" per middle character, last ("张三丰" → "张*丰", "欧阳娜娜" → "欧**娜"). Spaces are
 * dropped first (stray spreadsheet spaces). A middle dot (买买提·艾力) is masked like any middle
 * character, which also hides where the given name starts.
 *
 * Other names: each whitespace-separated word keeps its first character and masks the rest
 * ("Ana Li" → "A** L*").
 */
export function maskName(name: string): string {
  // No Unicode normalisation: NFC/NFKC would turn a CJK compatibility ideograph, sometimes used
  // on purpose for a rare surname, into a different code point. trim() covers U+3000 too.
  const text = name.trim();
  if (text === "") throw new Error("cannot mask an empty name");
  if (HAN.test(text)) {
    const chars = Array.from(text.replace(/\s+/gu, ""));
    // A single character kept would be the whole name.
    if (chars.length === 1) return "*";
    if (chars.length === 2) return `${chars[0]}*`;
    return `${chars[0]}${"*".repeat(chars.length - 2)}${chars[chars.length - 1]}`;
  }
  return text
    .split(/\s+/u)
    .map((word) => {
      const chars = Array.from(word);
      return `${chars[0]}${"*".repeat(chars.length - 1)}`;
    })
    .join(" ");
}
