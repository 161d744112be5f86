import { passwordProblem } from 'latchkey';
import { formText } from '../form-body.js';
import type { FieldErrors } from '../views/form.js';
import { emailProblem } from '../email-address.js';
import type { EmailConflict, UsernameConflict } from './user-repository.js';

export interface UserFormValues {
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  /** Trimmed; '' for none. */
  email: string;
  /** False when the form had no `email` field at all (an older form or client): the address stays as it is. */
  emailGiven: boolean;
}

export interface Validated<T> {
  values: T;
  errors: FieldErrors;
  ok: boolean;
}

const USERNAME = /^[A-Za-z0-9_.-]{1,64}$/;
const MAX_NAME_CHARACTERS = 100;

/**
 * Reads and checks the signup or profile form. On update (`passwordOptional`), a blank password
 * keeps the current one.
 */
export function validateUserForm(body: unknown, { passwordOptional = false } = {}): Validated<UserFormValues> {
  const values: UserFormValues = {
    username: formText(body, 'username').trim(),
    password: formText(body, 'password'),
    firstName: formText(body, 'first_name').trim(),
    lastName: formText(body, 'last_name').trim(),
    email: formText(body, 'email').trim(),
    emailGiven: typeof (body as Record<string, unknown> | null | undefined)?.email === 'string',
  };
  const errors: FieldErrors = {};
  if (!USERNAME.test(values.username)) {
    errors.username = 'Use 1 to 64 letters, digits, dots, dashes or underscores.';
  }
  if (!(passwordOptional && values.password === '')) {
    // the names typed into this very form count as known to an attacker
    const problem = passwordProblem(values.password, { username: values.username, userInputs: [values.firstName, values.lastName, values.email, 'latchkey'] });
    if (problem) errors.password = problem;
  }
  if (values.email) {
    const problem = emailProblem(values.email);
    if (problem) errors.email = problem;
  }
  if ([...values.firstName].length > MAX_NAME_CHARACTERS) errors.first_name = `Use at most ${MAX_NAME_CHARACTERS} characters.`;
  if ([...values.lastName].length > MAX_NAME_CHARACTERS) errors.last_name = `Use at most ${MAX_NAME_CHARACTERS} characters.`;
  return { values, errors, ok: Object.keys(errors).length === 0 };
}

/** The email field's error when another account has the address. */
export const EMAIL_TAKEN_ERROR = 'That email address belongs to another account. Use another, or leave it blank.';

/**
 * The error for each reason `users.create` gives: the username field's, or (`email-taken`) the
 * email field's. The form's flash stays the general one.
 */
export const USERNAME_CONFLICT_ERRORS: Readonly<Record<UsernameConflict | EmailConflict, string>> = {
  'email-taken': EMAIL_TAKEN_ERROR,
  taken: 'That username is taken (capitals do not make a new name). Please choose another.',
  lookalike:
    'That username looks too much like a username already taken: letters drawn alike, such as l, I and 1, O and 0, or rn and m, count as the same. Please choose another.',
};
