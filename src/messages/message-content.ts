import { formText } from '../form-body.js';

export const MAX_MESSAGE_CHARACTERS = 2000;

/** The message text, or an error for the form: blank and overlong messages are refused. */
export function validateContent(body: unknown): { content: string; error: string | null } {
  const content = formText(body, 'content').trim();
  if (content === '') return { content, error: 'Write something first.' };
  if ([...content].length > MAX_MESSAGE_CHARACTERS) {
    return { content, error: `Use at most ${MAX_MESSAGE_CHARACTERS} characters.` };
  }
  return { content, error: null };
}
