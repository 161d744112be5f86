const TITLE_CHARACTERS = 60;
/** How far back a cut may move to end at a word rather than inside one. */
const WORD_SLACK = 20;

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * What a list shows of a message: the text on one line, and when it is longer than 60 characters
 * its start, cut at a word when one ends nearby, with an ellipsis. Counted in characters as people
 * see them, so an emoji is never cut in half.
 *
 * @example
 * messageTitle('A long message …') // 'A long message that goes on…'
 */
export function messageTitle(content: string): string {
  const text = content.replace(/\s+/g, ' ').trim();
  const characters = Array.from(graphemes.segment(text), (part) => part.segment);
  if (characters.length <= TITLE_CHARACTERS) return text;
  let cut = TITLE_CHARACTERS - 1;
  if (characters[cut] !== ' ') {
    const space = characters.lastIndexOf(' ', cut);
    if (space > cut - WORD_SLACK) cut = space;
  }
  return `${characters.slice(0, cut).join('').trimEnd()}…`;
}
